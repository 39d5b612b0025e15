import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { AppError, ErrorCode } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { createEventStore } from './event-store.js';
import { bearerMatches, isAllowedHost, isAllowedOrigin } from './http-guards.js';

/** The one path the MCP endpoint answers on. */
export const MCP_HTTP_PATH = '/mcp';

export interface McpHttpServerOptions {
  /** Makes the MCP server of one session (see `createMcpServerFactory`). */
  createServer: () => McpServer;
  /** Required bearer token (`MCP_TOKEN`): every request must carry `Authorization: Bearer <token>`. */
  token: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  logger: Logger;
  /** Open sessions kept at most; the least recently used is closed to admit a new one (default 64). */
  maxSessions?: number;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface McpHttpServer {
  /** `http://127.0.0.1:PORT/mcp` */
  url: string;
  port: number;
  /** Open sessions right now. */
  sessionCount(): number;
  /** Closes every session, stream and socket, then the listener. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
}

const MIN_TOKEN_LENGTH = 16;

function sendJsonError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve('too_large');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Serves MCP over Streamable HTTP on 127.0.0.1 only, at `/mcp`, one session (and one MCP server) per client.
 * Before anything reaches the protocol, each request must name a loopback Host with our port (403 otherwise),
 * come from no web page or a loopback one (403), and carry the bearer token (401, compared in constant time).
 * Refuses to start without a token of at least 16 characters.
 */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<McpHttpServer> {
  if (!options.token || options.token.length < MIN_TOKEN_LENGTH) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `MCP over HTTP needs MCP_TOKEN (at least ${MIN_TOKEN_LENGTH} characters, e.g. from \`openssl rand -hex 32\`): ` +
        'every request must carry it as "Authorization: Bearer <token>"',
    );
  }
  const { logger, token } = options;
  const maxSessions = options.maxSessions ?? 64;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const sessions = new Map<string, Session>();
  const sockets = new Set<Socket>();
  let port = 0;
  let closing = false;

  async function closeSession(id: string, reason: string): Promise<void> {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    logger.info({ session: id, reason }, 'MCP session closed');
    // Closing the server closes its transport (and any open SSE stream) too.
    await session.server.close().catch((error: unknown) => logger.warn({ err: error }, 'MCP session close failed'));
  }

  async function openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    while (sessions.size >= maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      await closeSession(oldest, 'evicted: too many open sessions');
    }
    const server = options.createServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server });
        logger.info({ session: id }, 'MCP session opened');
      },
      onsessionclosed: (id) => {
        void closeSession(id, 'closed by the client');
      },
      // Lets a client resume a broken SSE stream (Last-Event-ID) instead of calling again.
      eventStore: createEventStore(),
      retryInterval: 1_000,
      enableDnsRebindingProtection: true,
      allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`],
    });
    transport.onclose = () => {
      if (transport.sessionId) void closeSession(transport.sessionId, 'transport closed');
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== MCP_HTTP_PATH) {
      sendJsonError(res, 404, -32000, `Not found: the MCP endpoint is ${MCP_HTTP_PATH}`);
      return;
    }
    if (!isAllowedHost(header(req, 'host'), port)) {
      logger.warn({ host: header(req, 'host') }, 'MCP request refused: Host is not this loopback server');
      sendJsonError(res, 403, -32000, 'Forbidden: Host header is not this loopback server');
      return;
    }
    if (!isAllowedOrigin(header(req, 'origin'))) {
      logger.warn({ origin: header(req, 'origin') }, 'MCP request refused: Origin is not a loopback page');
      sendJsonError(res, 403, -32000, 'Forbidden: Origin is not allowed');
      return;
    }
    const authorization = header(req, 'authorization');
    if (!bearerMatches(authorization, token)) {
      logger.warn({ tokenGiven: authorization !== undefined }, 'MCP request refused: missing or wrong bearer token');
      sendJsonError(res, 401, -32001, 'Unauthorized: send the MCP_TOKEN as "Authorization: Bearer <token>"', {
        'www-authenticate':
          authorization === undefined
            ? 'Bearer realm="incident-bot"'
            : 'Bearer realm="incident-bot", error="invalid_token"',
      });
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      sendJsonError(res, 405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
      return;
    }
    const sessionId = header(req, 'mcp-session-id');
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, maxBodyBytes);
      if (raw === 'too_large') {
        sendJsonError(res, 413, -32000, `Request body larger than ${maxBodyBytes} bytes`);
        return;
      }
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        sendJsonError(res, 400, -32700, 'Parse error: the body is not JSON');
        return;
      }
    }
    if (sessionId === undefined) {
      if (req.method === 'POST' && isInitializeRequest(body)) {
        await openSession(req, res, body);
        return;
      }
      sendJsonError(res, 400, -32000, 'Bad request: no Mcp-Session-Id header; start with an initialize request');
      return;
    }
    const session = sessions.get(sessionId);
    if (!session) {
      sendJsonError(res, 404, -32001, 'Session not found: it expired or was closed; initialize a new one');
      return;
    }
    // Most recently used last, so eviction takes the least recently used.
    sessions.delete(sessionId);
    sessions.set(sessionId, session);
    await session.transport.handleRequest(req, res, body);
  }

  const http: Server = createServer((req, res) => {
    if (closing) {
      sendJsonError(res, 503, -32000, 'Server is shutting down');
      return;
    }
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'MCP HTTP request failed');
      sendJsonError(res, 500, -32603, 'Internal error');
    });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}${MCP_HTTP_PATH}`;
  logger.info({ url, sessionsMax: maxSessions }, 'MCP server listening (Streamable HTTP, bearer token required)');

  return {
    url,
    port,
    sessionCount: () => sessions.size,
    async close() {
      if (closing) return;
      closing = true;
      await Promise.all([...sessions.keys()].map((id) => closeSession(id, 'server shutting down')));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
