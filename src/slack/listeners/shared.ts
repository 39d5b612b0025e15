/**
 * What every listener shares: its dependencies, the user-facing failure message (naming what failed, never
 * swallowed), dedupe keys for at-least-once deliveries, and the write path (identity → tool → audit → card).
 */
import { createHash } from 'node:crypto';
import { PagerDutyApiError } from '../../pagerduty/errors.js';
import { AppError, asAppError, ErrorCode } from '../../shared/errors.js';
import type { Actor } from '../../tools/define-tool.js';
import { markBotNote } from '../../webhooks/pagerduty/bot-notes.js';
import type { MessagePayload } from '../blocks/model.js';
import { buildNotice } from '../blocks/notice.js';
import type { SlackRuntime } from '../deps.js';
import { JobKind } from '../ids.js';
import type { SlackServices } from '../services/index.js';
import { mrkdwn } from '../text.js';

export interface ListenerDeps {
  rt: SlackRuntime;
  services: SlackServices;
}

/** The person-facing sentence for a failure: what we tried, what failed, and that nothing changed when so. */
export function failureText(what: string, error: unknown): string {
  const e = asAppError(error);
  const message = mrkdwn(e.message, 1200);
  switch (e.code) {
    case ErrorCode.UnmappedUser:
    case ErrorCode.Forbidden:
      return message;
    case ErrorCode.PagerDutyUnavailable:
      // A write whose answer was lost may have been applied: never tell the person nothing changed.
      if (e.details.mayHaveApplied === true) {
        return `Couldn't ${what}: PagerDuty did not confirm it (${message}). It may or may not have happened; check the incident before trying again.`;
      }
      return `Couldn't ${what}: PagerDuty is unreachable right now (${message}). Nothing was changed; try again in a minute.`;
    case ErrorCode.PagerDutyApi: {
      const status = error instanceof PagerDutyApiError ? error.status : 0;
      if (status === 404) return `Couldn't ${what}: PagerDuty says it does not exist (${message}).`;
      if (status === 401 || status === 403)
        return `Couldn't ${what}: PagerDuty refused the bot's credentials (${message}).`;
      if (status === 429) return `Couldn't ${what}: PagerDuty is rate limiting us (${message}). Try again shortly.`;
      return `Couldn't ${what}: PagerDuty answered with an error (${message}).`;
    }
    case ErrorCode.NotFound:
    case ErrorCode.InvalidInput:
      return `Couldn't ${what}: ${message}`;
    case ErrorCode.SlackApi:
      return `Couldn't ${what}: Slack refused (${message}).`;
    case ErrorCode.UnknownTool:
      return `Couldn't ${what}: ${message}.`;
    case ErrorCode.Timeout:
      return `Couldn't ${what}: it took too long (${message}). It may or may not have happened; check the card.`;
    default:
      return `Couldn't ${what}: something went wrong (${message}).`;
  }
}

export function errorNotice(what: string, error: unknown): MessagePayload {
  const e = asAppError(error);
  const kind = e.code === ErrorCode.UnmappedUser || e.code === ErrorCode.Forbidden ? 'warning' : 'error';
  return buildNotice(kind, failureText(what, error));
}

/**
 * True when a failed write may still have reached PagerDuty (its answer was lost or timed out). Such a claim is
 * kept: releasing it would let a second click or a redelivered event write the same thing again.
 */
export function mayHaveWritten(error: unknown): boolean {
  const e = asAppError(error);
  return e.details.mayHaveApplied === true || e.code === ErrorCode.Timeout;
}

/** A dedupe key within the store's 512-character limit. */
export function dedupeKey(prefix: string, ...parts: Array<string | number | null | undefined>): string {
  const raw = parts.map((p) => String(p ?? '')).join('|');
  const body = raw.length > 200 ? createHash('sha256').update(raw).digest('hex') : raw;
  return `slack:${prefix}:${body}`;
}

/** Claims a key once; returns a release function, or null when it was claimed before (a duplicate). */
export async function claim(deps: ListenerDeps, key: string): Promise<(() => Promise<void>) | null> {
  const ok = await deps.rt.store.processedKeys.claimOnce(key);
  if (!ok) {
    deps.rt.metrics?.counter('slack_duplicates_total', 'Slack deliveries dropped as duplicates').inc();
    deps.rt.logger.info({ key }, 'duplicate slack delivery ignored');
    return null;
  }
  return async () => {
    await deps.rt.store.processedKeys.release(key).catch(() => undefined);
  };
}

/** Runs a write tool for `actor`, refreshing the incident's cards afterwards (errors of the refresh are logged). */
export async function writeAndRefresh(
  deps: ListenerDeps,
  tool: string,
  input: Record<string, unknown>,
  actor: Actor,
  incidentId: string,
): Promise<unknown> {
  if (tool === 'add_incident_note' && typeof input.content === 'string') {
    await markBotNote(deps.rt.store.processedKeys, { incidentId, content: input.content });
  }
  if (tool === 'update_incident' && typeof input.resolution === 'string') {
    await markBotNote(deps.rt.store.processedKeys, { incidentId, content: input.resolution });
  }
  let out: unknown;
  try {
    out = await deps.services.runner.write(tool, input, actor);
  } catch (error) {
    // The outcome is unknown: show PagerDuty's real state (a fresh card, with fresh buttons) before the person retries.
    if (mayHaveWritten(error)) {
      await deps.services.cards.refresh(incidentId, { force: true }).catch(() => undefined);
    }
    throw error;
  }
  if (tool === 'add_incident_note') {
    const id = (out as { id?: unknown } | null)?.id;
    if (typeof id === 'string') {
      await markBotNote(deps.rt.store.processedKeys, { incidentId, content: String(input.content), noteId: id });
    }
  }
  await refreshQuietly(deps, incidentId);
  return out;
}

/** The PagerDuty user id of another Slack user (an assignee, a responder), with a clear error when they have none. */
export async function pagerDutyUserFor(deps: ListenerDeps, slackUserId: string): Promise<string> {
  const person = await deps.services.identity.actorFor(slackUserId).catch((error: unknown) => {
    throw new AppError(
      ErrorCode.NotFound,
      'that person has no PagerDuty account I can find (their Slack email is not a PagerDuty login). Nothing was changed.',
      { cause: error },
    );
  });
  if (!person.pagerdutyUserId) throw new AppError(ErrorCode.NotFound, 'that person has no PagerDuty account');
  return person.pagerdutyUserId;
}

/** Wait before the card refresh that follows a failed one (PagerDuty or Slack was just refusing). */
const REFRESH_RETRY_DELAY_MS = 2000;

/**
 * Refreshes the incident's cards after a write. The write succeeded, so a failed refresh is not shown as an error;
 * it becomes a `slack.refresh_card` job (retried with backoff), so the card still catches up with PagerDuty rather
 * than keeping buttons for a state that is gone.
 */
export async function refreshQuietly(deps: ListenerDeps, incidentId: string): Promise<void> {
  try {
    await deps.services.cards.refresh(incidentId);
  } catch (error) {
    deps.rt.logger.warn({ err: error, incidentId }, 'card refresh failed after a write; retrying it as a job');
    await deps.rt.store.jobs
      .enqueue(
        JobKind.refreshCard,
        { incidentId },
        {
          dedupeKey: `slack:refresh-card:${incidentId}`,
          runAt: deps.rt.clock.now() + REFRESH_RETRY_DELAY_MS,
          maxAttempts: 8,
        },
      )
      .catch((enqueueError: unknown) =>
        deps.rt.logger.error({ err: enqueueError, incidentId }, 'could not schedule the card refresh'),
      );
  }
}
