import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The request body and 202 answer of `POST /v2/enqueue`, transcribed from PagerDuty's official Events API v2
 * OpenAPI document (PagerDuty/api-schema `reference/events-v2/openapiv3.json` @ 5cd58ff). The REST document in
 * `/work/shared/specs/` does not cover the Events API.
 */
const Payload = {
  type: 'object',
  properties: {
    summary: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    severity: { enum: ['critical', 'warning', 'error', 'info'] },
    source: { type: 'string' },
    component: { type: 'string' },
    group: { type: 'string' },
    class: { type: 'string' },
    custom_details: { type: 'object' },
  },
  required: ['summary', 'severity', 'source'],
};

export const EVENTS_V2_REQUEST = {
  type: 'object',
  properties: {
    payload: Payload,
    routing_key: { type: 'string' },
    event_action: { enum: ['trigger', 'acknowledge', 'resolve'] },
    dedup_key: { type: 'string' },
    client: { type: 'string' },
    client_url: { type: 'string', format: 'uri' },
    links: {
      type: 'array',
      items: {
        type: 'object',
        properties: { href: { type: 'string', format: 'uri' }, text: { type: 'string' } },
        required: ['href'],
      },
    },
    images: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          src: { type: 'string', format: 'uri' },
          href: { type: 'string', format: 'uri' },
          alt: { type: 'string' },
        },
        required: ['src'],
      },
    },
  },
  required: ['routing_key', 'event_action'],
};

export const EVENTS_V2_ACCEPTED = {
  type: 'object',
  properties: { status: { type: 'string' }, dedup_key: { type: 'string' }, message: { type: 'string' } },
  required: ['status'],
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Violations of the Events API v2 document by one exchange (empty when it conforms). */
export function validateEventsExchange(exchange: {
  status: number;
  requestBody: string;
  responseBody: string;
}): string[] {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  const problems: string[] = [];
  const request = ajv.compile(EVENTS_V2_REQUEST);
  if (!request(JSON.parse(exchange.requestBody))) {
    problems.push(...(request.errors ?? []).map((e) => `request${e.instancePath}: ${e.message}`));
  }
  if (exchange.status !== 202) problems.push(`status ${exchange.status}, expected 202`);
  const accepted = ajv.compile(EVENTS_V2_ACCEPTED);
  if (!accepted(JSON.parse(exchange.responseBody))) {
    problems.push(...(accepted.errors ?? []).map((e) => `response${e.instancePath}: ${e.message}`));
  }
  return problems;
}
