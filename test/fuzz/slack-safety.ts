/**
 * What every Block Kit payload the bot builds must satisfy, whatever its input: Slack accepts it (the repo's
 * `validateBlocks` / `validateView`, which implement `shared/specs/slack-blockkit-limits.json`), the Web API client
 * can send it, and no untrusted text became markup: no broadcast (`<!channel>`, `<!here>`, `<!everyone>`,
 * `<!subteam^…>`), and every other `<…>` entity is one the bot made on purpose (a mention of a trusted Slack id, a
 * date token, or a link to a URL the input trusted).
 */
import { stringify } from 'node:querystring';
import { expect } from 'vitest';
import { validateBlocks, validateView } from '../../src/sandbox/slack/blockkit.js';

/** What the input trusted: Slack ids given as ids, and URLs given as PagerDuty links. */
export interface Trust {
  users: ReadonlySet<string>;
  channels: ReadonlySet<string>;
  url: (url: string) => boolean;
}

/** Collects trusted ids and URLs as the inputs are built. */
export function trustOf(parts: {
  users?: ReadonlyArray<string | null | undefined>;
  channels?: ReadonlyArray<string | null | undefined>;
  urls?: ReadonlyArray<string | null | undefined>;
}): Trust {
  const keep = (xs: ReadonlyArray<string | null | undefined> = [], shape = /^/) =>
    new Set(xs.filter((x): x is string => typeof x === 'string' && x.length > 0 && shape.test(x)));
  const urls = keep(parts.urls);
  // Builders link other incidents on the origin of a trusted incident URL (`incidentUrl`).
  const origins = new Set([...urls].map((u) => /^(https?:\/\/[^/]+)\//.exec(u)?.[1]).filter(Boolean));
  return {
    // Only well-formed Slack ids may become mentions, whatever field they came in.
    users: keep(parts.users, /^[UW][A-Z0-9]{2,}$/),
    channels: keep(parts.channels, /^[CGD][A-Z0-9]{2,}$/),
    url: (u) => {
      if (urls.has(u)) return true;
      const m = /^(https?:\/\/[^/]+)\/incidents\/[A-Z0-9]{1,20}$/.exec(u);
      return m !== null && origins.has(m[1]);
    },
  };
}

const BROADCAST = /<!(?:channel|here|everyone|group|subteam)/i;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  verbatim?: unknown;
}

function walk(node: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    visit(o);
    for (const v of Object.values(o)) walk(v, visit);
  }
}

function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const n of node) strings(n, out);
  else if (node !== null && typeof node === 'object') for (const v of Object.values(node)) strings(v, out);
  return out;
}

/** Mrkdwn as Slack parses it: every `<…>` must be an entity the bot made; no stray `<`, `>` or `&`. */
export function expectSafeMrkdwn(text: string, trust: Trust, where: string): void {
  expect(text, where).not.toMatch(BROADCAST);
  for (const m of text.matchAll(/<([^<>]*)>/g)) {
    const inner = m[1] ?? '';
    const ok =
      (inner.startsWith('@') && trust.users.has(inner.slice(1))) ||
      (inner.startsWith('#') && trust.channels.has(inner.slice(1))) ||
      /^!date\^\d+\^[^|<>]+\|[^<>|]+$/.test(inner) ||
      (/^https?:\/\/[^\s<>|]+\|[^<>|]*$/.test(inner) && trust.url(inner.split('|')[0] ?? ''));
    expect(ok, `${where}: unexpected entity <${inner}> in ${JSON.stringify(text.slice(0, 300))}`).toBe(true);
  }
  const rest = text.replace(/<[^<>]*>/g, '');
  expect(rest, `${where}: stray < or >`).not.toMatch(/[<>]/);
  expect(rest, `${where}: unescaped &`).not.toMatch(/&(?!amp;|lt;|gt;)/);
}

function expectSafeTextObjects(root: unknown, trust: Trust, where: string): void {
  walk(root, (o) => {
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
      const t = o as unknown as TextObject;
      if (t.type === 'mrkdwn') {
        // Untrusted mrkdwn is never auto-linked (`#channel`, `@name`, bare URLs).
        expect(t.verbatim, `${where}: mrkdwn without verbatim`).toBe(true);
        expectSafeMrkdwn(t.text, trust, where);
      } else {
        expect(t.text, `${where}: plain_text`).not.toMatch(BROADCAST);
        expect(t.text, `${where}: plain_text with raw < or >`).not.toMatch(/[<>]/);
        expect(t.text, `${where}: plain_text with unescaped &`).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }
    }
    if (typeof o.url === 'string') expect(trust.url(o.url), `${where}: url ${o.url}`).toBe(true);
  });
  // Every string Slack gets is well-formed UTF-16: a lone surrogate cannot be encoded as UTF-8.
  for (const s of strings(root)) expect(LONE_SURROGATE.test(s), `${where}: lone surrogate`).toBe(false);
}

/** The notification text of a message (may be empty when there are blocks): sendable, bounded, escaped like mrkdwn. */
export function expectSafeFallback(text: unknown, trust: Trust): void {
  expect(typeof text).toBe('string');
  const t = text as string;
  expect(t.length).toBeLessThanOrEqual(4_000);
  // `@slack/web-api` form-encodes top-level arguments with node:querystring, which throws on a lone surrogate.
  expect(() => stringify({ text: t })).not.toThrow();
  expectSafeMrkdwn(t, trust, 'text');
}

/** Exactly what Slack receives: the JSON the client sends. */
function asSent<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function expectSafeMessage(payload: { text: string; blocks: unknown[] }, trust: Trust): void {
  const sent = asSent(payload);
  const errors = validateBlocks(sent.blocks, 'message');
  expect(errors, JSON.stringify(errors.slice(0, 5))).toEqual([]);
  expectSafeFallback(sent.text, trust);
  expectSafeTextObjects(sent.blocks, trust, 'blocks');
}

export function expectSafeView(view: unknown, trust: Trust): void {
  const sent = asSent(view);
  const errors = validateView(sent);
  expect(errors, JSON.stringify(errors.slice(0, 5))).toEqual([]);
  expectSafeTextObjects(sent, trust, 'view');
}
