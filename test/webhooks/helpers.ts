/**
 * Test helpers for the webhook front: real HMAC signing (node:crypto, independent of the code under test), the
 * published captures, a log sink, and a loopback HTTP server around a handler.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/shared/logger.js';

export const SPECS = '/work/shared/specs/pagerduty-webhooks';
/** The secret of the Aldaviva captures (public test fixture). */
export const CAPTURE_SECRET = 'HvPtlQNKMPpHSSqJpCdndXfo7HnGXa1pnH6w5axpxLFn9aRBNBGh4e8/HlonK5mz';

export function capture(name: string): Buffer {
  return readFileSync(`${SPECS}/signed-captures/${name}.body.json`);
}

export function sign(secret: string, body: Buffer | string): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger whose lines are kept in memory for assertions. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Builds an envelope from the triggered capture with changes (a new event id unless given). */
export function incidentEnvelope(
  overrides: {
    eventType?: string;
    eventId?: string;
    incident?: Record<string, unknown>;
    event?: Record<string, unknown>;
  } = {},
): Buffer {
  const base = JSON.parse(capture('incident.triggered').toString('utf8')) as {
    event: Record<string, unknown> & { data: Record<string, unknown> };
  };
  const event = {
    ...base.event,
    id: overrides.eventId ?? `01TEST${Math.random().toString(36).slice(2, 14).toUpperCase()}`,
    event_type: overrides.eventType ?? base.event.event_type,
    data: { ...base.event.data, ...overrides.incident },
    ...overrides.event,
  };
  return Buffer.from(JSON.stringify({ event }));
}
