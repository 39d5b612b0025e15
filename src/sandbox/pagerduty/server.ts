/**
 * The HTTP front of the simulator (node:http): fault injection, authentication, rate limiting, the `From`
 * header, routing, JSON errors in PagerDuty's shape, and the exchange feed for the sandbox console.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import { PagerDutySimError } from './errors.js';
import { handleEnqueue } from './events-api.js';
import type { FaultInjector } from './faults.js';
import type { UserRecord } from './model.js';
import type { RateLimiter } from './rate-limit.js';
import type { RenderContext } from './render.js';
import { createQuery, type Route, type SimContext } from './routes/context.js';
import { directoryRoutes } from './routes/directory.js';
import { incidentDetailRoutes } from './routes/incident-details.js';
import { incidentRoutes } from './routes/incidents.js';
import { logEntryRoutes } from './routes/log-entries.js';
import { oncallRoutes } from './routes/oncalls.js';
import { isValidTimeZone } from './time-zones.js';

/** One request and its answer, as the console's traffic panel shows them. */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody: unknown;
  /** 0 when the connection was destroyed (fault injection) instead of answered. */
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

export interface HandlerDeps {
  sim: SimContext;
  clock: Clock;
  render: () => RenderContext;
  tokens: ReadonlySet<string>;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  logger: Logger;
  /** Runs due timers (snooze ends, escalations) before each request. */
  tick(): void;
  onExchange(exchange: Exchange): void;
  /** Waits `ms`, or less when the simulator closes. */
  delay(ms: number): Promise<void>;
}

const MAX_BODY_BYTES = 1_048_576;
const JSON_TYPE = 'application/json; charset=utf-8';

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

const ROUTES: CompiledRoute[] = [
  ...incidentRoutes,
  ...incidentDetailRoutes,
  ...logEntryRoutes,
  ...oncallRoutes,
  ...directoryRoutes,
].map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/:([a-z_]+)/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${pattern}/?$`), names };
});

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

function tokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const token = /^Token token=(\S+)$/.exec(header.trim());
  if (token) return token[1];
  const bearer = /^Bearer (\S+)$/.exec(header.trim());
  return bearer?.[1];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creates the request listener. */
export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'pagerduty simulator request failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': JSON_TYPE });
        res.end(JSON.stringify({ error: { message: 'An internal error has occurred.', code: 2000 } }));
      } else {
        res.destroy();
      }
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const raw = await readBody(req);
    const rawText = raw === 'too_large' ? '' : raw.toString('utf8');
    let requestBody: unknown = rawText === '' ? undefined : rawText;
    let bodyError: string | undefined;
    if (raw === 'too_large') bodyError = 'Request body is larger than 1 MB';
    else if (rawText.trim() !== '') {
      try {
        requestBody = JSON.parse(rawText);
      } catch {
        bodyError = 'Request body is not valid JSON';
      }
    }

    const decision = deps.faults.decide(method, path);
    if (decision.latencyMs > 0) await deps.delay(decision.latencyMs);
    const exchangeBase = {
      method,
      path,
      query: queryRecord(url.searchParams),
      requestHeaders: { ...req.headers },
      requestBody,
    };
    const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const responseHeaders = { 'Content-Type': JSON_TYPE, ...headers };
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { ...responseHeaders, 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
      deps.onExchange({ ...exchangeBase, status, responseHeaders, responseBody: body });
    };
    const destroy = (): void => {
      req.socket.destroy();
      deps.onExchange({ ...exchangeBase, status: 0, responseHeaders: {}, responseBody: undefined });
    };

    const action = decision.action;
    if (action.kind === 'reset' && !action.afterWrite) return destroy();
    if (action.kind === 'error') {
      return respond(action.status, {
        error: { message: 'An internal error has occurred. PagerDuty team has been notified.', code: 2000 },
      });
    }
    if (action.kind === 'rate_limit') {
      return respond(
        429,
        { error: { message: 'Rate Limit Exceeded', code: 2020 } },
        { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': String(action.resetSeconds) },
      );
    }

    deps.tick();

    // Events API v2: no token, a routing key in the body, its own response shape.
    if (path === '/v2/enqueue') {
      if (method !== 'POST') return respond(404, { status: 'Not Found', message: 'Only POST is supported' });
      const result = handleEnqueue(deps.sim, raw === 'too_large' ? '' : rawText, deps.clock.now());
      if (action.kind === 'reset') return destroy();
      return respond(result.status, result.body);
    }

    const token = tokenOf(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
    if (!token || !deps.tokens.has(token)) {
      return respond(401, { error: { message: 'Authentication failed', code: 2006 } });
    }
    const rate = deps.rateLimiter.take(token);
    const rateHeaders = {
      'ratelimit-limit': String(rate.limit),
      'ratelimit-remaining': String(rate.remaining),
      'ratelimit-reset': String(rate.resetSeconds),
    };
    if (!rate.allowed) return respond(429, { error: { message: 'Rate Limit Exceeded', code: 2020 } }, rateHeaders);

    let matched: { route: Route; params: Record<string, string> } | undefined;
    let pathKnown = false;
    for (const compiled of ROUTES) {
      const m = compiled.regex.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (compiled.route.method !== method) continue;
      const params: Record<string, string> = {};
      compiled.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      matched = { route: compiled.route, params };
      break;
    }
    if (!matched) {
      return respond(
        404,
        {
          error: {
            message: 'Not Found',
            code: 2100,
            errors: [pathKnown ? `${method} is not supported on ${path}` : `No such path: ${path}`],
          },
        },
        rateHeaders,
      );
    }

    try {
      if (bodyError) throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', [bodyError]);
      const { route, params } = matched;
      const zone = url.searchParams.get('time_zone');
      if (zone !== null && !isValidTimeZone(zone)) {
        throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', [
          `time_zone "${zone}" is not a known time zone`,
        ]);
      }
      const base = deps.render();
      const render: RenderContext = { ...base, timeZone: zone ?? base.timeZone };
      const fromHeader = typeof req.headers.from === 'string' ? req.headers.from.trim() : undefined;
      let from: UserRecord | undefined;
      if (fromHeader) {
        if (!EMAIL.test(fromHeader)) {
          if (route.requiresFrom) throw new PagerDutySimError(400, 1028, 'Malformed "From" header', [fromHeader]);
        } else {
          from = [...deps.sim.state.users.values()].find((u) => u.email.toLowerCase() === fromHeader.toLowerCase());
          if (!from && route.requiresFrom) {
            throw new PagerDutySimError(400, 1008, 'Requester User Not Found', [
              `No user in this account has the email "${fromHeader}" given in the From header`,
            ]);
          }
        }
      }
      if (route.requiresFrom && !from) {
        throw new PagerDutySimError(
          400,
          2016,
          `You must specify a user's email address in the "From" header to perform this action`,
        );
      }
      const result = route.handle({
        method,
        params,
        query: createQuery(url.searchParams),
        body: requestBody,
        headers: req.headers,
        now: deps.clock.now(),
        render,
        from,
        sim: deps.sim,
      });
      if (action.kind === 'reset') return destroy();
      return respond(result.status, result.body, rateHeaders);
    } catch (error) {
      if (error instanceof PagerDutySimError) return respond(error.status, error.body(), rateHeaders);
      throw error;
    }
  }
}
