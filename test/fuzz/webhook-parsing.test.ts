/**
 * Fuzzing the PagerDuty v3 webhook edge (issue 9):
 *
 * - `parseWebhookBody` / `classifyEnvelope` over arbitrary bytes, arbitrary JSON, and structural and byte-level
 *   mutations of the real captures under `shared/specs/pagerduty-webhooks/`: never throws, answers
 *   `{ ok: false, message }` or a classification consistent with the event type, and what it accepts survives the
 *   store's JSON round trip unchanged in meaning; unknown fields never change the answer;
 * - `verifyPagerDutySignature` with arbitrary secrets, bodies and headers (strings, arrays, absent): never throws,
 *   accepts only when a `v1=` entry carries the HMAC of the exact body under a configured secret, and accepts every
 *   header that carries one;
 * - the `POST /pagerduty/webhook` handler over loopback HTTP with the real store intake (PGlite): signed or not,
 *   well-formed or not, it answers 200/202/400/401 (never 5xx, never throws), and stores a job exactly when the
 *   delivery is authentic and names an incident.
 *
 * Seeds are fixed so a failure reproduces; change `SEED` to explore further.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { createMetrics } from '../../src/shared/metrics.js';
import { openStore, type Store } from '../../src/store/index.js';
import { toJsonParam } from '../../src/store/validate.js';
import { createStoreWebhookIntake, WebhookJobPayloadSchema } from '../../src/webhooks/pagerduty/intake.js';
import { createPagerDutyWebhookHandler, MAX_WEBHOOK_BODY_BYTES } from '../../src/webhooks/pagerduty/receiver.js';
import {
  CARD_UPDATE_EVENT_TYPES,
  classifyEnvelope,
  INCIDENT_EVENT_TYPES,
  incidentIdOf,
  MAX_BODY_DEPTH,
  PAGERDUTY_EVENT_TYPES,
  type ParseOutcome,
  parseWebhookBody,
} from '../../src/webhooks/pagerduty/schemas.js';
import { verifyPagerDutySignature } from '../../src/webhooks/pagerduty/verify-signature.js';
import { createWebhookMetrics } from '../../src/webhooks/pagerduty/webhook-metrics.js';
import { CAPTURE_SECRET, listen, SPECS } from '../webhooks/helpers.js';

const SEED = 0x3b_9d_17;

// ---- The real bodies ---------------------------------------------------------------------------------------------

const captures = readdirSync(`${SPECS}/signed-captures`)
  .filter((f) => f.endsWith('.body.json'))
  .map((f) => readFileSync(`${SPECS}/signed-captures/${f}`));
const official = ['incident.priority_updated.json', 'service.updated.json'].map((f) =>
  Buffer.from(JSON.stringify(JSON.parse(readFileSync(`${SPECS}/official/${f}`, 'utf8')))),
);
const REAL_BODIES = [...captures, ...official];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

// ---- Checking an outcome -----------------------------------------------------------------------------------------

const REACTED = new Set<string>(INCIDENT_EVENT_TYPES);
const DOCUMENTED = new Set<string>(PAGERDUTY_EVENT_TYPES);

/** `\u0000` and lone-surrogate escapes (an escaped backslash before `u` does not count): jsonb refuses both. */
const JSONB_REFUSES = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** Text as the store keeps it: NUL dropped, lone surrogates as U+FFFD (as UTF-8 encoding does for text columns). */
function storable(text: string): string {
  return text
    .split('\u0000')
    .join('')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function checkOutcome(outcome: ParseOutcome): void {
  if (!outcome.ok) {
    expect(Object.keys(outcome).sort()).toEqual(['message', 'ok']);
    expect(typeof outcome.message).toBe('string');
    expect(outcome.message.length).toBeGreaterThan(0);
    // The message is logged and answered to the sender: bounded whatever the body.
    expect(outcome.message.length).toBeLessThanOrEqual(2_000);
    return;
  }
  const { value } = outcome;
  const type = value.event.event_type;
  expect(typeof value.event.id).toBe('string');
  expect(value.event.id.length).toBeGreaterThan(0);
  expect(Number.isFinite(Date.parse(value.event.occurred_at))).toBe(true);
  const expectedKind =
    type === 'pagey.ping'
      ? 'ping'
      : REACTED.has(type)
        ? 'incident'
        : type === 'incident.annotated'
          ? 'note'
          : DOCUMENTED.has(type)
            ? 'unused'
            : 'unknown';
  expect(value.kind).toBe(expectedKind);
  if (value.kind === 'incident' || value.kind === 'note') {
    const incidentId = incidentIdOf(value);
    expect(typeof incidentId).toBe('string');
    expect(incidentId?.length).toBeGreaterThan(0);
    if (value.kind === 'incident') expect(value.eventType).toBe(type);
    // The intake stores the event as a jsonb job payload and its handler classifies it again: it must serialise
    // without throwing, into text Postgres accepts as jsonb (no NUL or lone-surrogate escapes), and keep its meaning.
    const json = toJsonParam({ webhookId: 'wh', receivedAt: 0, event: value.event }, 'job payload');
    expect(json).not.toMatch(JSONB_REFUSES);
    const stored = WebhookJobPayloadSchema.parse(JSON.parse(json));
    const again = classifyEnvelope({ event: stored.event });
    expect(again.ok).toBe(true);
    if (again.ok) {
      expect(again.value.kind).toBe(value.kind);
      expect(incidentIdOf(again.value)).toBe(storable(incidentId ?? ''));
    }
  }
}

function parseChecked(body: Buffer): ParseOutcome {
  const outcome = parseWebhookBody(body);
  checkOutcome(outcome);
  return outcome;
}

// ---- Arbitrary JSON and mutations --------------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates included (JSON.stringify writes those as `\ud800` escapes). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

const EVENT_TYPES = [
  ...PAGERDUTY_EVENT_TYPES,
  'incident.new_thing',
  'INCIDENT.TRIGGERED',
  'incident',
  'incident..triggered',
  '',
];
const nastyString = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '<!channel>',
      '<@U123|x>',
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfffy',
      // A title cut in the middle of an emoji by whoever truncated it: half a surrogate pair.
      'Checkout is down \ud83d',
      '\udd25 fire',
      '🔥',
      '\u202e',
      '2025-02-30T00:00:00Z',
      '2025-04-07T03:47:13.414+23:59',
      '2025-04-07T03:47:13.123456789Z',
      '2025-04-07',
      'not a date',
      'triggered',
      'acknowledged',
      'resolved',
      'high',
      'low',
      'incident',
      'incident_note',
      'PXXXXXX',
      ...EVENT_TYPES,
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 190, max: 210 }).map((n) => 'P'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(3_001, 10_001, 100_001).map((n) => 'x'.repeat(n)) },
);
const nastyJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e21, 2 ** 53 + 2, -(2 ** 31), [], {}, [null], {
      id: '',
    }),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);
const nastyKey = fc.oneof(
  fc.constantFrom('x_fuzz', '__proto__', 'constructor', 'toString', '', 'k\u0000', '\ud800', 'id', 'type', 'data'),
  fc.string({ unit: codeUnit, maxLength: 12 }),
);

function allPaths(v: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) allPaths(x, [...prefix, i], out);
  } else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) allPaths(x, [...prefix, k], out);
  return out;
}

function at(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[key as number] : Object.hasOwn(node, key) ? node[key as string] : undefined;
  }
  return node;
}

/** Sets an own property (even `__proto__`), as JSON.parse would have. */
function put(obj: { [key: string]: Json } | Json[], key: string | number, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation =
  | { op: 'replace'; pick: number; value: Json }
  | { op: 'delete'; pick: number }
  | { op: 'addKey'; pick: number; key: string; value: Json }
  | { op: 'wrap'; pick: number }
  | { op: 'retext'; pick: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: nastyJson }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), pick: fc.nat(), key: nastyKey, value: nastyJson }),
  fc.record({ op: fc.constant('wrap' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('retext' as const), pick: fc.nat(), text: nastyString }),
);

function applyMutations(original: Json, mutations: readonly Mutation[]): Json {
  let root = structuredClone(original);
  for (const m of mutations) {
    const every = allPaths(root);
    // `retext` keeps the shape and changes only the text of a string field (titles, names, notes…).
    const strings = every.filter((p) => typeof at(root, p) === 'string');
    const paths = m.op === 'retext' && strings.length > 0 ? strings : every;
    const path = paths[m.pick % paths.length] ?? [];
    const parent = path.length > 0 ? at(root, path.slice(0, -1)) : undefined;
    const key = path[path.length - 1];
    const target = at(root, path);
    const replace = (value: Json): void => {
      if (path.length === 0 || key === undefined) root = value;
      else if (parent !== null && typeof parent === 'object' && parent !== undefined) put(parent, key, value);
    };
    if (m.op === 'replace') replace(m.value);
    else if (m.op === 'retext') replace(m.text);
    else if (m.op === 'wrap') replace([target ?? null]);
    else if (m.op === 'delete') {
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else if (parent !== null && typeof parent === 'object' && parent !== undefined && typeof key === 'string')
        delete (parent as Record<string, Json>)[key];
    } else if (target !== null && typeof target === 'object' && target !== undefined && !Array.isArray(target)) {
      put(target, m.key, m.value);
    }
  }
  return root;
}

type ByteMutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'cut'; at: number; length: number }
  | { op: 'truncate'; at: number };

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyBytes(body: Buffer, mutations: readonly ByteMutation[]): Buffer {
  let out = Buffer.from(body);
  for (const m of mutations) {
    const i = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.op === 'flip' && i < out.length) out[i] = (out[i] ?? 0) ^ (1 << m.bit);
    else if (m.op === 'insert') out = Buffer.concat([out.subarray(0, i), m.bytes, out.subarray(i)]);
    else if (m.op === 'cut') out = Buffer.concat([out.subarray(0, i), out.subarray(i + m.length)]);
    else if (m.op === 'truncate') out = out.subarray(0, i);
  }
  return out;
}

const realBody = fc.constantFrom(...REAL_BODIES);
const realJson = realBody.map((b) => JSON.parse(b.toString('utf8')) as Json);

/** A body worth sending: a real one, a structurally mutated one, a byte-mangled one, or anything at all. */
const fuzzBody: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 1, arbitrary: realBody },
  {
    weight: 4,
    arbitrary: fc
      .tuple(realJson, fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([json, ms]) => Buffer.from(JSON.stringify(applyMutations(json, ms)))),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(realBody, fc.array(byteMutation, { minLength: 1, maxLength: 3 }))
      .map(([b, ms]) => applyBytes(b, ms)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: 200 }).map((s) => Buffer.from(s, 'utf8')) },
);

/** A real body whose string fields (titles, names, notes, ids, dates) carry hostile text: mostly still valid. */
const retextedBody: fc.Arbitrary<Buffer> = fc
  .tuple(
    realJson,
    fc.array(fc.record({ op: fc.constant('retext' as const), pick: fc.nat(), text: nastyString }), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([json, ms]) => Buffer.from(JSON.stringify(applyMutations(json, ms))));

describe('fuzz: parsing webhook bodies', () => {
  it('accepts every real capture and classifies it by its event type', () => {
    for (const body of REAL_BODIES) expect(parseChecked(body).ok).toBe(true);
  });

  it('never throws on arbitrary bytes, arbitrary JSON or mutated captures, and every answer is consistent', () => {
    fc.assert(
      fc.property(fuzzBody, (body) => {
        parseChecked(body);
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('classifies any JSON value without throwing (the job handler re-validates stored events this way)', () => {
    const envelope = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }),
      fc.record({ event: fc.jsonValue({ maxDepth: 4 }) }),
      fc.tuple(realJson, fc.array(mutation, { maxLength: 6 })).map(([json, ms]) => applyMutations(json, ms)),
    );
    fc.assert(
      fc.property(envelope, (json) => {
        checkOutcome(classifyEnvelope(json));
      }),
      { numRuns: 400, seed: SEED + 1 },
    );
  });

  it('takes nesting up to MAX_BODY_DEPTH in fields it does not read, and refuses deeper bodies with a message', () => {
    const base = JSON.parse(captures.find((b) => b.includes('"incident.triggered"'))?.toString('utf8') ?? '{}') as {
      event: Record<string, unknown>;
    };
    const depth = fc.oneof(
      fc.integer({ min: 1, max: MAX_BODY_DEPTH + 10 }),
      fc.integer({ min: MAX_BODY_DEPTH - 3, max: MAX_BODY_DEPTH + 3 }),
      fc.integer({ min: 1_000, max: 60_000 }),
    );
    fc.assert(
      fc.property(depth, fc.constantFrom('[', '{"a":', '{"[":"{","a":'), (extra, open) => {
        const close = open === '[' ? ']' : '}';
        const nested = `${open.repeat(extra)}1${close.repeat(extra)}`;
        const body = JSON.stringify({ event: { ...base.event, client: 'HOLE' } }).replace('"HOLE"', nested);
        const outcome = parseChecked(Buffer.from(body));
        // The envelope itself is two levels deep (`{"event":{…}}`) before `client`.
        if (extra + 2 <= MAX_BODY_DEPTH) expect(outcome).toMatchObject({ ok: true, value: { kind: 'incident' } });
        else expect(outcome).toEqual({ ok: false, message: `body: nested more than ${MAX_BODY_DEPTH} levels deep` });
      }),
      { numRuns: 60, seed: SEED + 2 },
    );
  });

  it('gives the same answer when fields it does not know are added anywhere', () => {
    const unknownKey = fc.stringMatching(/^x_[a-z_]{1,10}$/);
    fc.assert(
      fc.property(
        realJson,
        fc.array(fc.record({ pick: fc.nat(), key: unknownKey, value: nastyJson }), { minLength: 1, maxLength: 5 }),
        (json, additions) => {
          const before = classifyEnvelope(structuredClone(json));
          const after = classifyEnvelope(
            applyMutations(
              json,
              additions.map((a) => ({ op: 'addKey' as const, ...a })),
            ),
          );
          checkOutcome(after);
          expect(after.ok).toBe(before.ok);
          if (before.ok && after.ok) {
            expect(after.value.kind).toBe(before.value.kind);
            expect(incidentIdOf(after.value)).toBe(incidentIdOf(before.value));
          }
        },
      ),
      { numRuns: 300, seed: SEED + 3 },
    );
  });

  it('refuses an incident event whose incident is broken, never guessing', () => {
    const incidentTypes = fc.constantFrom(...INCIDENT_EVENT_TYPES, ...CARD_UPDATE_EVENT_TYPES);
    const base = JSON.parse(captures.find((b) => b.includes('"incident.triggered"'))?.toString('utf8') ?? '{}') as {
      event: { data: Record<string, Json> } & Record<string, Json>;
    };
    const required = ['id', 'type', 'status', 'title', 'service'];
    // Values the store changes (NUL, lone surrogates) are frequent here: the stored job must still classify.
    const fieldValue = fc.oneof(
      nastyJson,
      fc.constantFrom<Json>('\u0000', '\u0000\u0000', 'P1\u0000', '\ud800', { id: '\u0000' }, { id: '\udc00' }),
    );
    fc.assert(
      fc.property(
        incidentTypes,
        fc.constantFrom(...required),
        fc.option(fieldValue, { nil: undefined }),
        (type, field, value) => {
          const data = { ...base.event.data };
          if (value === undefined) delete data[field];
          else put(data, field, value);
          const outcome = classifyEnvelope({ event: { ...base.event, event_type: type, data } });
          checkOutcome(outcome);
          // Whatever replaced the field, an accepted incident still has the shape the reactions read.
          if (outcome.ok && outcome.value.kind === 'incident') {
            const i = outcome.value.incident;
            expect(typeof i.id === 'string' && i.id.length > 0 && i.id.length <= 200).toBe(true);
            expect(i.type).toBe('incident');
            expect(['triggered', 'acknowledged', 'resolved']).toContain(i.status);
            expect(typeof i.title).toBe('string');
            expect(typeof i.service.id).toBe('string');
          }
        },
      ),
      { numRuns: 300, seed: SEED + 4 },
    );
  });
});

// ---- Signatures --------------------------------------------------------------------------------------------------

const hmac = (secret: string, body: Buffer): string => createHmac('sha256', secret).update(body).digest('hex');

const secretArb = fc.oneof(
  fc.constantFrom('', CAPTURE_SECRET, 'a-newer-secret', 'é🔥', '\u0000'),
  fc.string({ unit: codeUnit, maxLength: 64 }),
);
const hexDigest = fc.stringMatching(/^[0-9a-fA-F]{64}$/);

/** Header entries: correct ones (for a secret and body), near misses, other versions and junk. */
function entryArb(secrets: readonly string[], body: Buffer): fc.Arbitrary<{ text: string; correct: boolean }> {
  const good = secrets.filter((s) => s.length > 0).map((s) => hmac(s, body));
  const correct =
    good.length > 0
      ? fc
          .tuple(fc.constantFrom(...good), fc.boolean(), fc.constantFrom('', ' ', '\t'))
          .map(([d, upper, pad]) => ({ text: `${pad}v1=${upper ? d.toUpperCase() : d}${pad}`, correct: true }))
      : fc.constant({ text: 'v1=', correct: false });
  const nearMiss = fc
    .tuple(
      good.length > 0 ? fc.constantFrom(...good) : hexDigest,
      fc.nat(),
      fc.constantFrom('flip', 'cut', 'v2', 'V1', 'space'),
    )
    .map(([d, i, how]) => {
      const k = i % 64;
      const flipped = `${d.slice(0, k)}${d[k] === '0' ? '1' : '0'}${d.slice(k + 1)}`;
      const text =
        how === 'flip'
          ? `v1=${flipped}`
          : how === 'cut'
            ? `v1=${d.slice(0, k)}`
            : how === 'v2'
              ? `v2=${d}`
              : how === 'V1'
                ? `V1=${d}`
                : `v1 =${d}`;
      return { text, correct: false };
    });
  const junk = fc
    .oneof(
      fc.string({ unit: codeUnit, maxLength: 80 }),
      hexDigest.map((d) => `v1=${d}`),
      fc.constantFrom('', '=', 'v1', 'v1=', '==', ',', 'v1=v1=', `v1=${'0'.repeat(64)}`, `v1=${'g'.repeat(64)}`),
    )
    .map((text) => ({ text, correct: false }));
  return fc.oneof(
    { weight: 2, arbitrary: correct },
    { weight: 2, arbitrary: nearMiss },
    { weight: 2, arbitrary: junk },
  );
}

const bodyArb = fc.oneof(
  realBody,
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
);

describe('fuzz: verifying signatures', () => {
  it('never throws, and accepts exactly when a v1 entry is the HMAC of the body under a configured secret', () => {
    const scenario = fc
      .record({ secrets: fc.array(secretArb, { maxLength: 4 }), body: bodyArb })
      .chain(({ secrets, body }) =>
        fc.record({
          secrets: fc.constant(secrets),
          body: fc.constant(body),
          entries: fc.array(entryArb(secrets, body), { maxLength: 6 }),
          shape: fc.constantFrom('string', 'array', 'absent', 'padded'),
          signedBody: fc.oneof(
            { weight: 4, arbitrary: fc.constant(body) },
            {
              weight: 1,
              arbitrary: fc
                .tuple(fc.constant(body), fc.array(byteMutation, { minLength: 1, maxLength: 2 }))
                .map(([b, ms]) => applyBytes(b, ms)),
            },
          ),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ secrets, body, entries, shape, signedBody }) => {
        const joined = entries.map((e) => e.text).join(',');
        const header =
          shape === 'absent'
            ? undefined
            : shape === 'array'
              ? entries.map((e) => e.text)
              : shape === 'padded'
                ? ` ${joined} `
                : joined;
        // The check runs over the bytes received; `signedBody` may differ from what the entries signed.
        const result = verifyPagerDutySignature({ secrets, rawBody: signedBody, header });
        const flat = Array.isArray(header) ? header.join(',') : (header ?? '');
        const usable = secrets.filter((s) => s.length > 0);
        const carries = usable.some((s) => flat.toLowerCase().includes(`v1=${hmac(s, signedBody)}`));
        if (result.ok) {
          // Soundness: only a correct signature over the exact bytes received is accepted.
          expect(carries).toBe(true);
        } else {
          expect(['no_secrets', 'missing_header', 'malformed_header', 'mismatch']).toContain(result.reason);
          if (usable.length === 0) expect(result.reason).toBe('no_secrets');
        }
        // Completeness: a well-formed header (≤ 2,048 characters) with a correct entry over these bytes is accepted.
        const correctHere = shape !== 'absent' && signedBody.equals(body) && entries.some((e) => e.correct);
        if (correctHere && flat.length <= 2048) {
          expect(result).toEqual({ ok: true });
        }
        if (usable.length > 0 && !carries) expect(result.ok).toBe(false);
      }),
      { numRuns: 500, seed: SEED + 5 },
    );
  });

  it('refuses the published valid signatures once a single byte of the body changes', () => {
    const vectors = (
      JSON.parse(readFileSync(`${SPECS}/signature-test-vectors.json`, 'utf8')) as {
        vectors: Array<{ file: string; secret: string; x_pagerduty_signature: string; expect: string }>;
      }
    ).vectors.filter((v) => v.expect === 'valid');
    fc.assert(
      fc.property(fc.constantFrom(...vectors), fc.array(byteMutation, { minLength: 1, maxLength: 2 }), (v, ms) => {
        const original = readFileSync(`${SPECS}/${v.file}`);
        const mutated = applyBytes(original, ms);
        const result = verifyPagerDutySignature({
          secrets: [v.secret],
          rawBody: mutated,
          header: v.x_pagerduty_signature,
        });
        expect(result).toEqual(mutated.equals(original) ? { ok: true } : { ok: false, reason: 'mismatch' });
      }),
      { numRuns: 300, seed: SEED + 6 },
    );
  });
});

// ---- The HTTP handler with the real store intake -----------------------------------------------------------------

interface Reply {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function post(url: string, body: Buffer, headers: Record<string, string | string[]>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/pagerduty/webhook`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Header values Node will send (tab, printable ASCII and Latin-1). */
const headerText = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09), fc.integer({ min: 0x80, max: 0xff }))
    .map((n) => String.fromCharCode(n)),
  maxLength: 120,
});

describe('fuzz: POST /pagerduty/webhook with the store intake', () => {
  let store: Store;
  let server: Awaited<ReturnType<typeof listen>>;
  const thrown: unknown[] = [];
  // The captures were sent on 2025-04-07; events older than 6 days are answered 200 and dropped.
  const clock = createManualClock(Date.parse('2025-04-07T04:00:00Z'));

  beforeAll(async () => {
    store = await openStore({ memory: true, purgeEveryMs: 0 });
    const handler = createPagerDutyWebhookHandler({
      secrets: [CAPTURE_SECRET],
      intake: createStoreWebhookIntake(store),
      logger: pino({ level: 'silent' }),
      metrics: createWebhookMetrics(createMetrics('fuzz_')),
      clock,
    });
    server = await listen((req, res) => {
      handler(req, res).catch((error: unknown) => {
        thrown.push(error);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  afterAll(async () => {
    agent.destroy();
    await server?.close();
    await store?.close();
  });

  async function jobCount(): Promise<number> {
    const r = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    return r.rows[0]?.n ?? -1;
  }

  it('answers 200/202/400/401 (413 when too large) to anything, and stores a job only for an authentic incident event', async () => {
    let n = 0;
    const delivery = fc.record({
      body: fc.oneof({ weight: 3, arbitrary: retextedBody }, { weight: 2, arbitrary: fuzzBody }),
      freshEventId: fc.boolean(),
      signature: fc.constantFrom('correct', 'correct', 'correct', 'wrong-secret', 'junk', 'absent', 'twice'),
      junk: headerText,
      webhookId: fc.oneof(
        { weight: 3, arbitrary: fc.constant('fresh') },
        { weight: 1, arbitrary: fc.constant('absent') },
        { weight: 1, arbitrary: headerText },
      ),
    });
    await fc.assert(
      fc.asyncProperty(delivery, async ({ body: generated, freshEventId, signature, junk, webhookId }) => {
        n += 1;
        // Most deliveries get an event id of their own (else the event-id dedupe answers 200 "duplicate"), and
        // arrive a minute after they occurred (else old captures are answered 200 "stale").
        let body = generated;
        clock.set(Date.parse('2025-04-07T04:00:00Z'));
        try {
          const json = JSON.parse(generated.toString('utf8')) as { event?: { id?: unknown; occurred_at?: unknown } };
          if (json?.event && typeof json.event === 'object') {
            if (freshEventId && typeof json.event.id === 'string') {
              json.event.id = `fuzz-${n}`;
              body = Buffer.from(JSON.stringify(json));
            }
            const at = typeof json.event.occurred_at === 'string' ? Date.parse(json.event.occurred_at) : Number.NaN;
            if (Number.isFinite(at)) clock.set(at + 60_000);
          }
        } catch {
          // Not JSON: sent as generated.
        }
        const headers: Record<string, string | string[]> = {};
        if (signature === 'correct') headers['x-pagerduty-signature'] = `v1=${hmac(CAPTURE_SECRET, body)}`;
        else if (signature === 'twice') headers['x-pagerduty-signature'] = [junk, `v1=${hmac(CAPTURE_SECRET, body)}`];
        else if (signature === 'wrong-secret') headers['x-pagerduty-signature'] = `v1=${hmac('not-the-secret', body)}`;
        else if (signature === 'junk') headers['x-pagerduty-signature'] = junk;
        if (webhookId === 'fresh') headers['x-webhook-id'] = `wh-fuzz-${n}`;
        else if (webhookId !== 'absent') headers['x-webhook-id'] = webhookId;

        const before = await jobCount();
        const reply = await post(server.url, body, headers);
        const after = await jobCount();

        expect(thrown).toEqual([]);
        if (body.length > MAX_WEBHOOK_BODY_BYTES) {
          // Refused before anything else is looked at (PagerDuty itself never sends more).
          expect(reply.status).toBe(413);
          expect(after).toBe(before);
          return;
        }
        expect([200, 202, 400, 401], `${reply.status} ${reply.body}`).toContain(reply.status);
        expect(() => JSON.parse(reply.body)).not.toThrow();
        const authentic = signature === 'correct' || signature === 'twice';
        if (!authentic) expect(reply.status).toBe(401);
        // Only an authentic, well-formed incident event reaches the store, and it is stored at most once.
        expect(after - before).toBe(reply.status === 202 ? 1 : 0);
        if (reply.status === 202) {
          const outcome = parseWebhookBody(body);
          expect(authentic && outcome.ok && (outcome.value.kind === 'incident' || outcome.value.kind === 'note')).toBe(
            true,
          );
        }
        // An authentic incident event with a usable webhook id is never refused: 202 (stored) or 200 (replay, stale).
        const outcome = parseWebhookBody(body);
        const idOk = webhookId === 'fresh' || webhookId === 'absent' || /^[\x21-\x7e]{1,200}$/.test(webhookId);
        if (authentic && idOk && outcome.ok && (outcome.value.kind === 'incident' || outcome.value.kind === 'note')) {
          expect([200, 202], `${reply.status} ${reply.body}`).toContain(reply.status);
        }
      }),
      { numRuns: 200, seed: SEED + 7 },
    );
  });
});
