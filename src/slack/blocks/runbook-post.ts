/**
 * The runbook post: a checklist grouped by phase (diagnosis, mitigation, verification, escalation), as
 * checkboxes everyone in the thread sees ticked (the message is updated with who ticked what).
 */
import type { RunbookResult, RunbookStep } from '../../ai/contract.js';
import { ActionId, BlockId } from '../ids.js';
import { fallbackText, formatDuration, mrkdwn, mrkdwnText, plain, userMention } from '../text.js';
import { type AiMeta, engineNote, type IncidentBrief, incidentTitleLine } from './ai-common.js';
import { incidentLabel } from './incident-card.js';
import { context, LIMITS, section } from './kit.js';
import type { Block, MessagePayload } from './model.js';

const PHASE_LABEL: Record<RunbookStep['phase'], string> = {
  diagnosis: '🔎 Diagnose',
  mitigation: '🩹 Mitigate',
  verification: '✅ Verify',
  escalation: '📣 Escalate',
};

/** Checkbox elements hold at most 10 options. */
const PER_GROUP = 10;
const MAX_STEPS = 40;

/** `runbook_checklist:<incident>:<n>` */
export function runbookBlockId(incidentId: string, group: number): string {
  return `${BlockId.runbookChecklist}:${incidentId}:${group}`;
}

/** Reads the incident id back from a checklist block id. */
export function incidentFromRunbookBlockId(blockId: string): string | null {
  const m = /^runbook_checklist:([A-Z0-9]{1,20}):\d+$/.exec(blockId);
  return m?.[1] ?? null;
}

function stepOption(step: RunbookStep, index: number): Block {
  // Checked after escaping: an action of only control characters or spaces would leave an empty (invalid) option.
  const action = mrkdwn(step.action, LIMITS.optionText).trim();
  const o: Block = { text: mrkdwnText(action === '' ? '(no description)' : action), value: `step-${index}` };
  const description = [step.command ? `$ ${step.command}` : '', `~${formatDuration(step.estimatedMinutes * 60)}`]
    .filter((s) => s !== '')
    .join(' · ');
  o.description = mrkdwnText(plain(description, LIMITS.optionText));
  return o;
}

/** Builds the runbook checklist post. */
export function buildRunbookPost(incident: IncidentBrief, runbook: RunbookResult, meta: AiMeta): MessagePayload {
  const blocks: Block[] = [
    section(
      `*📋 Runbook: ${mrkdwn(runbook.title, 200)}* · ${incidentTitleLine(incident, 150)}\nAbout ${formatDuration(runbook.estimatedMinutes * 60)} in total · tick steps as you go.`,
    ),
  ];
  const steps = runbook.steps.slice(0, MAX_STEPS);
  let group = 0;
  let index = 0;
  for (const phase of ['diagnosis', 'mitigation', 'verification', 'escalation'] as const) {
    const inPhase = steps.map((s, i) => ({ s, i })).filter((x) => x.s.phase === phase);
    if (inPhase.length === 0) continue;
    blocks.push(section(`*${PHASE_LABEL[phase]}*`));
    for (let start = 0; start < inPhase.length; start += PER_GROUP) {
      const options = inPhase.slice(start, start + PER_GROUP).map((x) => stepOption(x.s, x.i));
      index += options.length;
      blocks.push({
        type: 'actions',
        block_id: runbookBlockId(incident.id, group++),
        elements: [{ type: 'checkboxes', action_id: ActionId.runbookCheck, options }],
      });
    }
  }
  const notes: string[] = [];
  if (runbook.steps.length > MAX_STEPS) notes.push(`${runbook.steps.length - MAX_STEPS} more steps not shown`);
  if (runbook.basedOn.length > 0) {
    notes.push(
      `Based on: ${runbook.basedOn
        .slice(0, 3)
        .map((b) => mrkdwn(b.title, 80))
        .join('; ')}`,
    );
  }
  notes.push(engineNote(meta));
  blocks.push(context([notes.join(' · ')]));
  return {
    text: fallbackText(`Runbook for ${incidentLabel(incident)}: ${runbook.title} (${index} steps)`),
    blocks,
  };
}

/**
 * Re-renders a runbook message with the ticks everyone sees: each checklist block gets the options selected in
 * `selected` (block id → option values) as `initial_options`, and a progress line names who ticked last.
 */
export function applyRunbookTicks(
  blocks: readonly Block[],
  selected: ReadonlyMap<string, readonly string[]>,
  lastBy: string | null,
): Block[] {
  let total = 0;
  let done = 0;
  const out = blocks
    .filter((b) => b.block_id !== 'runbook_progress')
    .map((b) => {
      if (typeof b.block_id !== 'string' || !b.block_id.startsWith(`${BlockId.runbookChecklist}:`)) return b;
      const elements = (b.elements as Block[] | undefined) ?? [];
      const values = selected.get(b.block_id) ?? [];
      return {
        ...b,
        elements: elements.map((e) => {
          if (e.type !== 'checkboxes') return e;
          const options = (e.options as Block[] | undefined) ?? [];
          total += options.length;
          const initial = options.filter((o) => values.includes(String(o.value)));
          done += initial.length;
          const { initial_options: _drop, ...rest } = e;
          return initial.length > 0 ? { ...rest, initial_options: initial } : rest;
        }),
      };
    });
  const progress = `☑️ ${done}/${total} steps done${lastBy ? ` · last update by ${userMention(lastBy)}` : ''}`;
  const last = out.length - 1;
  out.splice(Math.max(0, last), 0, { ...context([progress]), block_id: 'runbook_progress' });
  return out;
}
