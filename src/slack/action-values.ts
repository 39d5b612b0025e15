/**
 * Values carried by interactive elements, encoded compactly (`a|b|c`, within Slack's 75-character option value
 * limit) and decoded with zod, so a forged or stale payload is refused with a clear message instead of reaching a
 * tool. The card values carry the incident state the user saw: the dedupe key of a click is derived from them, so
 * a double click on the same card writes once, while a click on the refreshed card is a new action.
 */
import { z } from 'zod';
import { InvalidInputError } from '../shared/errors.js';
import { type OverflowChoice, OverflowChoice as OverflowChoices } from './ids.js';

const IncidentId = z.string().regex(/^[A-Z0-9]{1,20}$/, 'expected a PagerDuty incident id');
const Status = z.enum(['triggered', 'acknowledged', 'resolved']);
const Level = z.coerce.number().int().min(0).max(99);

function split(value: string, parts: number, what: string): string[] {
  const items = value.split('|');
  if (items.length !== parts) {
    throw new InvalidInputError(`This ${what} button is out of date; use the latest card.`, [
      { path: 'value', message: `expected ${parts} parts` },
    ]);
  }
  return items;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new InvalidInputError(
      `This ${what} button is out of date or malformed; use the latest card.`,
      r.error.issues.map((i) => ({ path: i.path.join('.') || 'value', message: i.message })),
    );
  }
  return r.data;
}

/**
 * What a card button saw: the incident and its state when the card was rendered, and which rendering (`render`,
 * base-36 milliseconds): a re-rendered card has new values, so after a write whose outcome was unknown the
 * refreshed card's buttons work again while a double click on one rendering still writes once.
 */
export interface CardState {
  incidentId: string;
  status: z.infer<typeof Status>;
  level: number;
  render: string;
}

const Render = z.string().regex(/^[0-9a-z]{1,12}$/, 'expected a render stamp');
const CardStateSchema = z.object({ incidentId: IncidentId, status: Status, level: Level, render: Render });

export function encodeCardState(s: CardState): string {
  return `${s.incidentId}|${s.status}|${s.level}|${s.render}`;
}

export function decodeCardState(value: string | undefined): CardState {
  const [incidentId, status, level, render] = split(value ?? '', 4, 'card');
  return parse(CardStateSchema, { incidentId, status, level, render }, 'card');
}

/** Escalate option: the card state plus the chosen level (within the 75-character option value limit). */
export function encodeEscalateChoice(s: CardState, target: number): string {
  return `${encodeCardState(s)}|${target}`;
}

export function decodeEscalateChoice(value: string | undefined): CardState & { target: number } {
  const [incidentId, status, level, render, target] = split(value ?? '', 5, 'escalate');
  return parse(
    CardStateSchema.extend({ target: z.coerce.number().int().min(1).max(99) }),
    { incidentId, status, level, render, target },
    'escalate',
  );
}

const OverflowSchema = z.object({
  choice: z.enum(Object.values(OverflowChoices) as [OverflowChoice, ...OverflowChoice[]]),
  incidentId: IncidentId,
});

export function encodeOverflow(choice: OverflowChoice, incidentId: string): string {
  return `${choice}|${incidentId}`;
}

export function decodeOverflow(value: string | undefined): z.infer<typeof OverflowSchema> {
  const [choice, incidentId] = split(value ?? '', 2, 'menu');
  return parse(OverflowSchema, { choice, incidentId }, 'menu');
}

export const AI_BUTTON_KINDS = ['triage', 'analyze'] as const;
export type AiButtonKind = (typeof AI_BUTTON_KINDS)[number];

export function encodeAiButton(kind: AiButtonKind, incidentId: string): string {
  return `${kind}|${incidentId}`;
}

export function decodeAiButton(value: string | undefined): { kind: AiButtonKind; incidentId: string } {
  const [kind, incidentId] = split(value ?? '', 2, 'AI');
  return parse(z.object({ kind: z.enum(AI_BUTTON_KINDS), incidentId: IncidentId }), { kind, incidentId }, 'AI');
}

export function encodeApplyUrgency(incidentId: string, urgency: 'high' | 'low'): string {
  return `${incidentId}|${urgency}`;
}

export function decodeApplyUrgency(value: string | undefined): { incidentId: string; urgency: 'high' | 'low' } {
  const [incidentId, urgency] = split(value ?? '', 2, 'urgency');
  return parse(
    z.object({ incidentId: IncidentId, urgency: z.enum(['high', 'low']) }),
    { incidentId, urgency },
    'urgency',
  );
}

export function encodeTriageEscalate(incidentId: string, level: number): string {
  return `${incidentId}|${level}`;
}

export function decodeTriageEscalate(value: string | undefined): { incidentId: string; level: number } {
  const [incidentId, level] = split(value ?? '', 2, 'escalate');
  return parse(
    z.object({ incidentId: IncidentId, level: z.coerce.number().int().min(1).max(99) }),
    { incidentId, level },
    'escalate',
  );
}

export function encodeMerge(targetId: string, sourceIds: string[]): string {
  return `${targetId}|${sourceIds.join(',')}`;
}

export function decodeMerge(value: string | undefined): { targetId: string; sourceIds: string[] } {
  const [targetId, sources] = split(value ?? '', 2, 'merge');
  const parsed = parse(
    z.object({ targetId: IncidentId, sourceIds: z.array(IncidentId).min(1).max(50) }),
    { targetId, sourceIds: (sources ?? '').split(',').filter((s) => s !== '') },
    'merge',
  );
  if (parsed.sourceIds.includes(parsed.targetId)) {
    throw new InvalidInputError('An incident cannot be merged into itself.', [
      { path: 'sourceIds', message: 'contains the target' },
    ]);
  }
  return parsed;
}

/** Incident-only values (postmortem regenerate / export, channel, resolve). */
export function decodeIncidentId(value: string | undefined): string {
  return parse(IncidentId, value ?? '', 'incident');
}
