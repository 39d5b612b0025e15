/**
 * Every Slack identifier the bot owns, in one place: the slash command, action ids, view callback ids, block ids
 * and job kinds. Listeners match on these and builders emit them, so a rename is a one-line change.
 */

/** The one slash command (also in `manifest.yml`). */
export const SLASH_COMMAND = '/incident';

/** Interactive element `action_id`s. */
export const ActionId = {
  /** Card: acknowledge the incident (button). */
  acknowledge: 'incident_acknowledge',
  /** Card: escalate to a chosen level (static select with a confirm dialog). */
  escalate: 'incident_escalate',
  /** Card: open the resolve modal (button). */
  resolve: 'incident_resolve',
  /** Card: run the AI for this incident (triage when fresh, analysis otherwise). */
  ai: 'incident_ai',
  /** Card: overflow menu (note, snooze, reassign, runbook, postmortem). */
  overflow: 'incident_overflow',
  /** Card: open an incident channel. */
  openChannel: 'incident_open_channel',
  /** Card: link to PagerDuty (url button; acknowledged and ignored). */
  openInPagerDuty: 'incident_open_pagerduty',
  /** Triage post: apply the suggested urgency (button with confirm). */
  applyUrgency: 'triage_apply_urgency',
  /** Triage post: escalate as suggested (button with confirm). */
  triageEscalate: 'triage_escalate',
  /** Correlation post: merge a group into its root incident (button with confirm). */
  merge: 'correlation_merge',
  /** Postmortem post: regenerate the draft. */
  regeneratePostmortem: 'postmortem_regenerate',
  /** Postmortem post: export the draft as Markdown. */
  exportPostmortem: 'postmortem_export',
  /** Responder post: page the suggested person (button with confirm). */
  pageResponder: 'responder_page',
  /** Incident list: post that incident's card here. */
  show: 'incident_show',
  /** Runbook post: tick or untick checklist steps (checkboxes). */
  runbookCheck: 'runbook_check',
  /** Link buttons in lists (acknowledged and ignored). */
  link: 'incident_link',
} as const;
export type ActionId = (typeof ActionId)[keyof typeof ActionId];

/** The overflow menu's option values. */
export const OverflowChoice = {
  note: 'note',
  snooze: 'snooze',
  reassign: 'reassign',
  runbook: 'runbook',
  postmortem: 'postmortem',
} as const;
export type OverflowChoice = (typeof OverflowChoice)[keyof typeof OverflowChoice];

/** Modal `callback_id`s. */
export const CallbackId = {
  declare: 'incident_declare_modal',
  resolve: 'incident_resolve_modal',
  note: 'incident_note_modal',
  snooze: 'incident_snooze_modal',
  reassign: 'incident_reassign_modal',
  statusUpdate: 'incident_status_update_modal',
  exportPostmortem: 'postmortem_export_modal',
} as const;
export type CallbackId = (typeof CallbackId)[keyof typeof CallbackId];

/** `block_id`s and input `action_id`s inside modals (read back from `view.state.values`). */
export const InputId = {
  title: 'title',
  service: 'service',
  urgency: 'urgency',
  priority: 'priority',
  description: 'description',
  createChannel: 'create_channel',
  resolution: 'resolution',
  note: 'note',
  duration: 'duration',
  assignee: 'assignee',
  statusMessage: 'status_message',
} as const;

/** Fixed `block_id`s of message blocks. */
export const BlockId = {
  cardActions: 'incident_card_actions',
  triageActions: 'triage_actions',
  postmortemActions: 'postmortem_actions',
  runbookChecklist: 'runbook_checklist',
} as const;

/** Durable job kinds this front registers (see `register-jobs.ts`). */
export const JobKind = {
  /** Run an AI tool and replace the "working…" placeholder with its post. */
  aiPost: 'slack.ai_post',
  /** Create an incident from the declare modal, post its card, open a channel, triage. */
  declare: 'slack.declare',
  /** Refresh every card of an incident from PagerDuty's current state. */
  refreshCard: 'slack.refresh_card',
  /** Retry a Slack post that hit a 429. */
  retryPost: 'slack.retry_post',
} as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

/** The reaction that turns a message into a PagerDuty note. */
export const PIN_REACTION = 'pushpin';

/** Channel name prefix of incident channels (`inc-<number>-<slug>`). */
export const INCIDENT_CHANNEL_PREFIX = 'inc-';
