import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request through the proxy and the answer it got, exactly as they crossed the wire. */
export interface RecordedExchange {
  method: string;
  /** Path and query as sent (`/incidents?statuses%5B%5D=triggered`). */
  url: string;
  pathname: string;
  requestHeaders: Record<string, string>;
  /** Raw request body (empty string when none). */
  requestBody: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

export interface RecordingProxy {
  url: string;
  exchanges: RecordedExchange[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length', 'upgrade']);

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * A loopback HTTP proxy that forwards every request to `target` unchanged and records both sides, so a contract
 * test sees what a client really sent and received, whatever the server's internals.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: RecordedExchange[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const requestBody = Buffer.concat(chunks).toString('utf8');
      const requestHeaders = flatten(req.headers);
      const forward: Record<string, string> = {};
      for (const [name, value] of Object.entries(requestHeaders)) if (!HOP_BY_HOP.has(name)) forward[name] = value;
      const url = req.url ?? '/';
      try {
        const response = await fetch(`${target}${url}`, {
          method: req.method ?? 'GET',
          headers: forward,
          ...(requestBody === '' ? {} : { body: requestBody }),
        });
        const responseBody = await response.text();
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') responseHeaders[name] = value;
        });
        exchanges.push({
          method: req.method ?? 'GET',
          url,
          pathname: new URL(url, 'http://127.0.0.1').pathname,
          requestHeaders,
          requestBody,
          status: response.status,
          responseHeaders,
          responseBody,
        });
        res.writeHead(response.status, responseHeaders);
        res.end(responseBody);
      } catch (error) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy could not reach ${target}: ${String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
