import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The checks every HTTP request to the MCP endpoint passes before it reaches the protocol: Host and Origin
 * (DNS rebinding: a web page whose name resolves to 127.0.0.1 must not drive the server through a browser) and
 * the bearer token. Pure functions, so each edge is tested directly.
 */

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Splits a Host header (`name`, `name:port`, `[v6]:port`) into a lower-case name and a port (or null). */
function splitHost(value: string): { name: string; port: string | null } | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match?.[1]) return null;
  return { name: match[1].toLowerCase(), port: match[2] ?? null };
}

/**
 * True when `host` names this server on the loopback interface: `localhost`, `127.0.0.1` or `[::1]`, with the
 * port the server listens on (a Host without a port means port 80, which is not ours).
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const parts = splitHost(host);
  if (!parts || !LOOPBACK_NAMES.has(parts.name)) return false;
  return parts.port === null ? port === 80 : Number(parts.port) === port;
}

/**
 * True when there is no Origin (non-browser clients send none) or it is a page served from the loopback
 * interface (any port: a local inspector UI is fine). Anything else, including `null`, is refused.
 */
export function isAllowedOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return LOOPBACK_NAMES.has(url.hostname.toLowerCase());
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * True when `authorization` is `Bearer <token>` with exactly the configured token. Both sides are hashed first,
 * so the comparison takes the same time whatever the length or content of the guess.
 */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization) return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  const presented = match?.[1] ?? '';
  const equal = timingSafeEqual(digest(presented), digest(token));
  return equal && presented.length > 0;
}
