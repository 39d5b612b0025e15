/**
 * Oracles for the Slack emulator's tests: Slack's official Web API spec (Swagger 2.0, slackapi/slack-api-specs) and
 * the java-slack-sdk JSON shape catalogs (every field Slack has been seen to send), both under /work/shared/specs.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SPEC_PATH = '/work/shared/specs/slack-web-openapi.json';
const SAMPLES_DIR = '/work/shared/specs/slack-java-sdk-samples';

type Json = Record<string, unknown>;

let spec: {
  paths: Record<string, Record<string, { responses: Record<string, { schema?: unknown }> }>>;
  definitions: Json;
};
const compiled = new Map<string, ValidateFunction>();

/**
 * The 2020 spec needs two adaptations to be a checkable JSON Schema, both mechanical:
 * - unions are written `items: [A, B]` on non-array schemas (a draft-04 tuple that constrains nothing); they become
 *   `anyOf: [A, B]`;
 * - `additionalProperties: false` is dropped: the spec predates fields Slack sends today (`app_id`, `edited`,
 *   `bot_profile` in messages…). Field names are checked against the newer java-sdk catalogs instead.
 * Plus two places where the 2020 spec and today's Slack disagree:
 * - chat.update declares `message.blocks` as an object; Slack's blocks are an array;
 * - `objs_user_profile` requires `fields`, which users.info no longer sends (absent from the newer java-sdk catalog).
 */
function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = adapt(value);
  }
  if (Array.isArray(out.items) && out.type !== 'array') {
    out.anyOf = out.items;
    delete out.items;
  }
  return out;
}

/** Validates a success body of `method` against the spec's 200 schema; returns the problems. */
export function specProblems(method: string, body: unknown): string[] {
  let validate = compiled.get(method);
  if (!validate) {
    spec ??= JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as typeof spec;
    const path = spec.paths[`/${method}`];
    if (!path) throw new Error(`no ${method} in the spec`);
    const operation = path.post ?? path.get;
    const schema = operation?.responses['200']?.schema as Json | undefined;
    if (!schema) throw new Error(`no 200 schema for ${method}`);
    const adapted = adapt({ ...schema, definitions: spec.definitions }) as Json;
    const profile = (adapted.definitions as Json).objs_user_profile as { required: string[] };
    profile.required = profile.required.filter((r) => r !== 'fields');
    if (method === 'chat.update') {
      const message = (adapted.properties as Json).message as Json;
      (message.properties as Json).blocks = { type: 'array' };
    }
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    validate = ajv.compile(adapted);
    compiled.set(method, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** A java-slack-sdk sample (`api/<method>.json` or `app-backend/<Name>.json`). */
export function sample(name: string): Json {
  return JSON.parse(readFileSync(`${SAMPLES_DIR}/${name}.json`, 'utf8')) as Json;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Paths where `actual` has a field the catalog never saw, or a value of another JSON type (null is accepted
 * anywhere: the catalogs use placeholders, never null). Arrays are checked item by item against the catalog's first
 * item. `ignore` lists paths (`a.b`) that are opaque in the catalog (e.g. Block Kit inside messages).
 */
export function shapeMismatches(
  actual: unknown,
  catalog: unknown,
  ignore: readonly string[] = [],
  path = '',
): string[] {
  if (ignore.includes(path)) return [];
  if (actual === null || actual === undefined) return [];
  const a = kind(actual);
  const c = kind(catalog);
  if (a !== c) return [`${path || '(root)'}: ${a} where Slack sends ${c}`];
  if (a === 'array') {
    const first = (catalog as unknown[])[0];
    if (first === undefined) return [];
    return (actual as unknown[]).flatMap((item, i) =>
      shapeMismatches(item, first, ignore, `${path}[${i}]`).map((p) => p.replace(`[${i}]`, '[]')),
    );
  }
  if (a === 'object') {
    const out: string[] = [];
    for (const [key, value] of Object.entries(actual as Json)) {
      const sub = path === '' ? key : `${path}.${key}`;
      if (ignore.includes(sub)) continue;
      if (!(key in (catalog as Json))) out.push(`${sub}: not a field Slack sends`);
      else out.push(...shapeMismatches(value, (catalog as Json)[key], ignore, sub));
    }
    return [...new Set(out)];
  }
  return [];
}

/** Polls until `check` returns a value (generous timeout for a loaded machine). */
export async function eventually<T>(check: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const TOKEN = 'xoxb-1111-2222-emulatortoken';
export const SIGNING_SECRET = 'emulator-signing-secret-0123456789';
export const USERS = [
  { name: 'alice', realName: 'Alice Ops', email: 'alice@example.com', tz: 'Europe/Paris' },
  { name: 'bob', realName: 'Bob Builder', email: 'bob@example.com' },
  { name: 'carol', realName: 'Carol Lane', email: 'carol@example.com' },
];

export interface TestBoltApp {
  app: App;
  /** `http://127.0.0.1:PORT/slack/events` */
  requestUrl: string;
  stop(): Promise<void>;
}

/**
 * A real Bolt 5.1 app with its HTTP receiver on a loopback port, signature verification on, its WebClient pointed at
 * the emulator (no retries, so errors surface at once).
 */
export async function startBoltApp(
  apiUrl: string,
  register: (app: App) => void,
  options: { signingSecret?: string; rejectRateLimitedCalls?: boolean } = {},
): Promise<TestBoltApp> {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret ?? SIGNING_SECRET,
    endpoints: '/slack/events',
  });
  const app = new App({
    token: TOKEN,
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: {
      slackApiUrl: apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
    },
  });
  register(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as Server;
  const { port } = server.address() as AddressInfo;
  return {
    app,
    requestUrl: `http://127.0.0.1:${port}/slack/events`,
    stop: async () => {
      server.closeAllConnections();
      await (app.stop() as Promise<unknown>);
    },
  };
}
