import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  /** Set when the client closed the connection before the server answered. */
  aborted: boolean;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → sent as is. */
  body?: unknown;
  /** Never answer (to test client timeouts). */
  hang?: boolean;
}

export type Handler = (request: SeenRequest) => Reply | Promise<Reply>;

export interface LoopbackServer {
  url: string;
  requests: SeenRequest[];
  /** Answers the next requests in order with these replies; when the queue is empty, `fallback` answers. */
  enqueue(...replies: Array<Reply | Handler>): void;
  fallback: Handler;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) that answers with scripted replies and records every request,
 * including whether the client aborted it.
 */
export async function startLoopbackServer(fallback?: Handler): Promise<LoopbackServer> {
  const queue: Array<Reply | Handler> = [];
  const requests: SeenRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const state: LoopbackServer = {
    url: '',
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    fallback: fallback ?? (() => ({ status: 500, body: { error: { message: 'no scripted reply', code: 0 } } })),
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
        aborted: false,
      };
      requests.push(seen);
      res.on('close', () => {
        if (!res.writableFinished) seen.aborted = true;
        hanging.delete(res);
      });
      const next = queue.shift() ?? state.fallback;
      const reply = typeof next === 'function' ? await next(seen) : next;
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      const isText = typeof reply.body === 'string';
      const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        'content-type': isText ? 'text/plain' : 'application/json',
        ...reply.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  return state;
}

/** Polls `condition` until it holds (or fails after `timeoutMs`), for waits on real I/O. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
