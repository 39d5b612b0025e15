/**
 * The modals: declare, resolve, note, snooze, reassign, status update and postmortem export. Each carries its
 * context in `private_metadata` (JSON, ≤ 3,000 characters) and reads its inputs back by the ids in `InputId`.
 */
import { CallbackId, InputId } from '../ids.js';
import { mrkdwn, plain, plainText, splitText, truncate } from '../text.js';
import { type IncidentBrief, incidentTitleLine } from './ai-common.js';
import { incidentLabel } from './incident-card.js';
import { context, input, LIMITS, option, section, textInput } from './kit.js';
import type { Block, ModalView } from './model.js';

/** What a modal remembers between opening and submission. */
export interface ModalMetadata {
  /** Channel the modal was opened from (for the card and ephemeral replies). */
  channelId: string | null;
  /** Thread of the card it was opened from, when any. */
  threadTs?: string | null;
  incidentId?: string | null;
  /** Extra context (e.g. which card state the user saw). */
  extra?: Record<string, string | number | null>;
}

export function encodeMetadata(m: ModalMetadata): string {
  const json = JSON.stringify(m);
  if (json.length > LIMITS.privateMetadata) throw new Error('private_metadata too long');
  return json;
}

function modal(
  callbackId: string,
  title: string,
  blocks: Block[],
  meta: ModalMetadata,
  submit: string | null,
  close = 'Cancel',
): ModalView {
  const view: ModalView = {
    type: 'modal',
    callback_id: callbackId,
    title: plainText(plain(title, LIMITS.viewTitle)),
    close: plainText(plain(close, LIMITS.viewTitle)),
    private_metadata: encodeMetadata(meta),
    blocks: blocks.slice(0, LIMITS.blocksPerModal),
  };
  if (submit) view.submit = plainText(plain(submit, LIMITS.viewTitle));
  return view;
}

export interface ServiceChoice {
  id: string;
  name: string;
}

export interface DeclareModalOptions {
  title: string | null;
  /** null while services are loading (the modal is opened first, then updated). */
  services: ServiceChoice[] | null;
  priorities: string[];
  /** Why services could not be loaded, if they could not. */
  loadError?: string | null;
}

/**
 * `/incident declare`: title, service, urgency, priority, description, "create incident channel". Opened at once
 * in a loading state (no inputs, no submit: Slack needs a submit button with inputs), then updated with the
 * services from PagerDuty, or with the reason they could not be loaded.
 */
export function buildDeclareModal(options: DeclareModalOptions, meta: ModalMetadata): ModalView {
  const extra = { ...meta.extra, title: options.title ? truncate(options.title, 255, '') : null };
  if (options.services === null || options.services.length === 0) {
    const message =
      options.services === null
        ? options.loadError
          ? `⚠️ ${mrkdwn(options.loadError, 500)}
Nothing was created. Try again in a moment.`
          : '⏳ Loading services from PagerDuty…'
        : '⚠️ PagerDuty has no services this account can see, so an incident cannot be declared here.';
    const blocks: Block[] = [section(message)];
    if (options.title) blocks.push(context([`Title: ${mrkdwn(options.title, 255)}`]));
    return modal(CallbackId.declare, 'Declare incident', blocks, { ...meta, extra }, null, 'Close');
  }
  const unique = [...new Map(options.services.map((s) => [s.id, s])).values()];
  const sorted = unique.sort((a, b) => a.name.localeCompare(b.name)).slice(0, 100);
  const blocks: Block[] = [
    input(
      'Title',
      InputId.title,
      textInput(InputId.title, { initial: options.title, maxLength: 255, placeholder: 'What is broken, for whom?' }),
    ),
    input('Service', InputId.service, {
      type: 'static_select',
      action_id: InputId.service,
      placeholder: plainText('Choose the affected service'),
      options: sorted.map((s) => option(s.name, s.id)),
    }),
  ];
  if (unique.length > 100) {
    blocks.push(context([`Showing the first 100 of ${unique.length} services.`]));
  }
  blocks.push(
    input('Urgency', InputId.urgency, {
      type: 'radio_buttons',
      action_id: InputId.urgency,
      options: [option('🔺 High: page now', 'high'), option('🔹 Low: business hours', 'low')],
      initial_option: option('🔺 High: page now', 'high'),
    }),
  );
  if (options.priorities.length > 0) {
    blocks.push(
      input(
        'Priority',
        InputId.priority,
        {
          type: 'static_select',
          action_id: InputId.priority,
          placeholder: plainText('No priority'),
          options: [...new Set(options.priorities)].slice(0, 100).map((p) => option(p, p)),
        },
        { optional: true },
      ),
    );
  }
  blocks.push(
    input(
      'Description',
      InputId.description,
      textInput(InputId.description, {
        multiline: true,
        maxLength: 3000,
        placeholder: 'What do you see? Since when? Who is affected?',
      }),
      { optional: true },
    ),
    input(
      'Incident channel',
      InputId.createChannel,
      {
        type: 'checkboxes',
        action_id: InputId.createChannel,
        options: [option('Create #inc-… channel and invite on-call', 'yes')],
      },
      { optional: true },
    ),
  );
  return modal(CallbackId.declare, 'Declare incident', blocks, { ...meta, extra }, 'Declare');
}

/** Resolve with a resolution note (prefilled from `/incident resolve … <note>`). */
export function buildResolveModal(incident: IncidentBrief, note: string | null, meta: ModalMetadata): ModalView {
  return modal(
    CallbackId.resolve,
    `Resolve ${incidentLabel(incident)}`,
    [
      section(`Resolve ${incidentTitleLine(incident)}?`),
      input(
        'Resolution note',
        InputId.resolution,
        textInput(InputId.resolution, {
          multiline: true,
          initial: note,
          maxLength: 3000,
          placeholder: 'What fixed it? (saved on the PagerDuty incident)',
        }),
        { optional: true },
      ),
      context(['Resolving notifies responders and starts the postmortem draft in the thread.']),
    ],
    { ...meta, incidentId: incident.id },
    'Resolve',
  );
}

/** Add a note. */
export function buildNoteModal(incident: IncidentBrief, meta: ModalMetadata): ModalView {
  return modal(
    CallbackId.note,
    `Note on ${incidentLabel(incident)}`,
    [
      section(incidentTitleLine(incident)),
      input('Note', InputId.note, textInput(InputId.note, { multiline: true, maxLength: 3000 })),
    ],
    { ...meta, incidentId: incident.id },
    'Add note',
  );
}

const SNOOZE_CHOICES: Array<[string, number]> = [
  ['15 minutes', 900],
  ['30 minutes', 1800],
  ['1 hour', 3600],
  ['2 hours', 7200],
  ['4 hours', 14_400],
  ['8 hours', 28_800],
  ['24 hours', 86_400],
];

/** Snooze for a chosen duration. */
export function buildSnoozeModal(incident: IncidentBrief, meta: ModalMetadata): ModalView {
  return modal(
    CallbackId.snooze,
    `Snooze ${incidentLabel(incident)}`,
    [
      section(incidentTitleLine(incident)),
      input('Snooze for', InputId.duration, {
        type: 'static_select',
        action_id: InputId.duration,
        options: SNOOZE_CHOICES.map(([label, seconds]) => option(label, String(seconds))),
        initial_option: option('1 hour', '3600'),
      }),
      context(['The incident returns to triggered and notifies again when the snooze ends.']),
    ],
    { ...meta, incidentId: incident.id },
    'Snooze',
  );
}

/** Reassign to a Slack user (mapped to PagerDuty by email on submit). */
export function buildReassignModal(incident: IncidentBrief, meta: ModalMetadata): ModalView {
  return modal(
    CallbackId.reassign,
    `Reassign ${incidentLabel(incident)}`,
    [
      section(incidentTitleLine(incident)),
      input('New assignee', InputId.assignee, {
        type: 'users_select',
        action_id: InputId.assignee,
        placeholder: plainText('Choose a person'),
      }),
      context(['They must have a PagerDuty account with the same email as in Slack.']),
    ],
    { ...meta, incidentId: incident.id },
    'Reassign',
  );
}

/** Status update editor (with an AI draft, or "drafting…" while it is generated). */
export function buildStatusUpdateModal(
  incident: IncidentBrief,
  draft: string | null,
  meta: ModalMetadata,
  note?: string,
): ModalView {
  const blocks: Block[] = [section(`📣 Status update for ${incidentTitleLine(incident)}`)];
  if (draft === null) blocks.push(section('⏳ Drafting an update from the incident…'));
  blocks.push(
    input(
      'Update',
      InputId.statusMessage,
      textInput(InputId.statusMessage, {
        multiline: true,
        initial: draft,
        maxLength: 3000,
        placeholder: 'Impact, what we are doing, next update time',
      }),
    ),
  );
  blocks.push(
    context([note ?? 'Sent to PagerDuty status update subscribers and posted in the incident thread. Edit freely.']),
  );
  return modal(CallbackId.statusUpdate, 'Status update', blocks, { ...meta, incidentId: incident.id }, 'Send update');
}

/** The postmortem as Markdown, in code blocks to copy. */
export function buildExportModal(incident: IncidentBrief, markdown: string): ModalView {
  const escaped = mrkdwn(markdown, 90_000);
  const parts = splitText(escaped, LIMITS.sectionText - 8).slice(0, 95);
  const blocks: Block[] = [context([`Copy the Markdown for ${incidentLabel(incident)} into your postmortem doc.`])];
  for (const p of parts) blocks.push(section(`\`\`\`${p}\`\`\``));
  return modal(
    CallbackId.exportPostmortem,
    'Postmortem Markdown',
    blocks,
    { channelId: null, incidentId: incident.id },
    null,
    'Done',
  );
}

/** Keeps modal-bound text within a plain_text_input's limit. */
export function clampInput(text: string, max = 3000): string {
  return truncate(text, max, '');
}
