/**
 * Events API v2 (`POST /v2/enqueue`), after developer-docs `events-API-v2/02-Trigger-Events.md` and
 * PagerDuty/api-schema `reference/events-v2/openapiv3.json`:
 * - `trigger` opens an alert (and an incident) on the service of the integration whose key is `routing_key`;
 *   a trigger whose `dedup_key` matches an open alert of the same integration adds a trigger log entry and
 *   changes nothing else; without `dedup_key` a new key is generated and returned;
 * - `acknowledge` / `resolve` act on the open alert with that `dedup_key` on the same integration, and are
 *   dropped (still 202) when there is none — a resolved alert's key starts a new alert on the next trigger;
 * - 202 `{status:'success', message:'Event processed', dedup_key}`; 400 `{status, message, errors[]}` for an
 *   unreadable or invalid event, which changes nothing.
 */
import type { IdFactory } from './ids.js';
import type { Actor, IncidentMachine } from './incidents.js';
import type { AlertRecord, SimState } from './model.js';
import { eventsApiBody } from './schemas.js';

export interface EventsApiResult {
  status: number;
  body: Record<string, unknown>;
}

const UNRECOGNIZED: EventsApiResult = {
  status: 400,
  body: { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] },
};

function invalid(errors: string[]): EventsApiResult {
  return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
}

/** Handles one Events API v2 request body (raw text). */
export function handleEnqueue(
  deps: { state: SimState; machine: IncidentMachine; ids: IdFactory },
  rawBody: string,
  now: number,
): EventsApiResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return UNRECOGNIZED;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return UNRECOGNIZED;
  const result = eventsApiBody.safeParse(parsed);
  if (!result.success) {
    return invalid(
      result.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        return issue.message.startsWith("'") || issue.message.startsWith('Length') || !path
          ? issue.message
          : `'${path}': ${issue.message}`;
      }),
    );
  }
  const event = result.data;
  const { state, machine, ids } = deps;
  const integration = [...state.integrations.values()].find((i) => i.integrationKey === event.routing_key);
  if (!integration) return invalid(['Invalid routing key']);
  const actor: Actor = { agent: { type: 'service', id: integration.serviceId }, via: 'events' };
  const dedupKey = event.dedup_key ?? ids.hex32();
  const openAlert = [...state.alerts.values()].find(
    (a: AlertRecord) => a.integrationId === integration.id && a.alertKey === dedupKey && a.status === 'triggered',
  );
  const accepted: EventsApiResult = {
    status: 202,
    body: { status: 'success', message: 'Event processed', dedup_key: dedupKey },
  };
  if (event.event_action === 'trigger') {
    const payload = event.payload;
    if (!payload) return invalid(["'payload' is missing or is not an object"]);
    if (openAlert) {
      machine.retrigger(openAlert, actor, now, payload.summary);
      return accepted;
    }
    const contexts = [
      ...(event.links ?? []).map((l) => ({ type: 'link' as const, href: l.href, text: l.text })),
      ...(event.images ?? []).map((i) => ({ type: 'image' as const, src: i.src, href: i.href, text: i.alt })),
    ];
    machine.create(
      {
        serviceId: integration.serviceId,
        title: payload.summary,
        incidentKey: dedupKey,
        urgency: payload.severity === 'critical' || payload.severity === 'error' ? undefined : 'low',
        alert: {
          integrationId: integration.id,
          alertKey: dedupKey,
          summary: payload.summary,
          severity: payload.severity,
          source: payload.source,
          component: payload.component ?? null,
          group: payload.group ?? null,
          eventClass: payload.class ?? null,
          details: payload.custom_details ?? {},
          contexts,
        },
      },
      actor,
      now,
    );
    return accepted;
  }
  if (!openAlert) return accepted;
  if (event.event_action === 'acknowledge') {
    const incident = state.incidents.get(openAlert.incidentId);
    if (incident && incident.status === 'triggered') machine.acknowledge(incident, actor, now);
    return accepted;
  }
  machine.resolveAlert(openAlert, actor, now);
  return accepted;
}
