/**
 * Maps catalogue tool results (the compact shapes of `src/tools/shapes.ts`) into the view models the Block Kit
 * builders render, and reads tool results back with their zod shapes.
 */
import type { z } from 'zod';
import {
  type IncidentDetailOut,
  IncidentDetailShape,
  type IncidentOut,
  IncidentShape,
  listShape,
  OnCallShape,
  ServiceShape,
} from '../tools/shapes.js';
import type { IncidentBrief } from './blocks/ai-common.js';
import type { IncidentView } from './blocks/model.js';
import type { OnCallView } from './blocks/oncall-list.js';
import type { ToolRunner } from './tool-runner.js';

export function toIncidentView(i: IncidentOut | IncidentDetailOut): IncidentView {
  const detail = i as Partial<IncidentDetailOut>;
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    status: i.status,
    urgency: i.urgency,
    priority: i.priority,
    service: { id: i.service.id, name: i.service.name },
    assignees: i.assignees.map((a) => ({ id: a.id, name: a.name })),
    escalationLevel: i.escalation_level,
    escalationPolicy: i.escalation_policy,
    createdAt: i.created_at,
    resolvedAt: i.resolved_at,
    lastChangedBy: detail.last_status_change_by?.name ?? null,
    htmlUrl: i.html_url,
    alertCount: i.alert_count,
  };
}

export function toBrief(i: IncidentView): IncidentBrief {
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    status: i.status,
    urgency: i.urgency,
    escalationLevel: i.escalationLevel,
    htmlUrl: i.htmlUrl,
  };
}

export const IncidentListShape = listShape(IncidentShape);
export const OnCallListShape = listShape(OnCallShape);
export const ServiceListShape = listShape(ServiceShape);

/** `get_incident`, parsed. */
export async function fetchIncident(runner: ToolRunner, incidentId: string): Promise<IncidentDetailOut> {
  return IncidentDetailShape.parse(await runner.read('get_incident', { incident_id: incidentId }));
}

/** A tool's result read back with its shape. */
export function parseAs<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(value);
}

export function toOnCallViews(items: z.output<typeof OnCallShape>[]): OnCallView[] {
  return items.map((o) => ({
    escalationPolicy: o.escalation_policy,
    schedule: o.schedule,
    level: o.escalation_level,
    user: { id: o.user.id, name: o.user.name },
    until: o.end,
  }));
}
