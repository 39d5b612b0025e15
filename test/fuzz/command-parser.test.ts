/**
 * Fuzzing the `/incident` grammar (issue 9). Three properties:
 *
 * - totality: any text (full unicode, lone surrogates, control characters, very long input, Slack-escaped
 *   mentions, channel and group entities, links, prototype keys) parses to a well-typed command or to a usage error
 *   that names its subcommand; nothing is thrown, nothing is invented (free text is always a slice of the input),
 *   and the error never echoes markup;
 * - determinism: the same text (or the same text padded with whitespace) always gives the same answer;
 * - round trip: commands generated from the grammar (every subcommand and alias, incident refs as ids, `#numbers`
 *   and PagerDuty URLs, mentions, durations, levels, roles, random case and spacing) parse back to exactly the
 *   command they were rendered from.
 *
 * Seeds are fixed so a failure reproduces; change `SEED` to explore further.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type Command,
  type IncidentRef,
  type PageTarget,
  type ParseResult,
  parseCommand,
  parseIncidentRef,
  SUBCOMMANDS,
  type Subcommand,
  tokenize,
  USAGE,
} from '../../src/slack/command-parser.js';

const SEED = 0x1d_c0de;
const RUNS = 400;

// ---- The grammar, restated independently of the parser --------------------------------------------------------

const ALIASES: Record<Subcommand, string[]> = {
  declare: ['new', 'create'],
  list: ['ls'],
  show: ['info'],
  ack: ['acknowledge'],
  resolve: ['close'],
  escalate: [],
  reassign: ['assign'],
  page: [],
  snooze: [],
  note: ['notes'],
  update: [],
  role: [],
  oncall: ['on-call', 'who'],
  triage: [],
  analyze: ['analyse'],
  correlate: [],
  postmortem: ['pm'],
  runbook: [],
  responder: [],
  fatigue: [],
  subscribe: [],
  help: ['?'],
};
const WORD_TO_SUB = new Map<string, Subcommand>(
  SUBCOMMANDS.flatMap((sub) => [[sub, sub] as const, ...ALIASES[sub].map((a) => [a, sub] as const)]),
);
const LIST_WORDS: Record<string, 'triggered' | 'acknowledged' | 'resolved' | 'open' | 'all'> = {
  triggered: 'triggered',
  open: 'open',
  acknowledged: 'acknowledged',
  acked: 'acknowledged',
  ack: 'acknowledged',
  resolved: 'resolved',
  all: 'all',
};
const ROLE_WORDS: Record<string, 'commander' | 'comms' | 'scribe'> = {
  commander: 'commander',
  ic: 'commander',
  lead: 'commander',
  comms: 'comms',
  communications: 'comms',
  scribe: 'scribe',
};
const REF_ONLY = ['show', 'ack', 'triage', 'analyze', 'postmortem', 'runbook', 'responder', 'correlate'] as const;
const MAX_TEXT = 10_000;

// ---- What a parse result may look like -------------------------------------------------------------------------

const FreeText = z
  .string()
  .min(1)
  .max(MAX_TEXT)
  .refine((s) => s === s.trim(), 'free text is trimmed');
const Ref = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('id'), id: z.string().regex(/^[A-Z0-9]{1,20}$/) }),
  z.strictObject({ kind: z.literal('number'), number: z.number().int().min(0).max(999_999_999) }),
  z.strictObject({ kind: z.literal('implied') }),
]);
const UserId = z.string().regex(/^[UW][A-Z0-9]+$/);
const Target = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), slackUserId: UserId }),
  z.strictObject({ kind: z.literal('usergroup'), usergroupId: z.string().regex(/^S[A-Z0-9]+$/) }),
  // Name words are whitespace-free tokens without `<` (entities are refused), joined by single spaces.
  z.strictObject({ kind: z.literal('name'), name: z.string().regex(/^[^\s<]+(?: [^\s<]+)*$/) }),
]);
const SubEnum = z.enum(SUBCOMMANDS);
const CommandSchema = z.union([
  z.strictObject({ sub: z.literal('declare'), title: FreeText.nullable() }),
  z.strictObject({
    sub: z.literal('list'),
    status: z.enum(['triggered', 'acknowledged', 'resolved', 'open', 'all']),
    service: FreeText.nullable(),
  }),
  z.strictObject({ sub: z.enum(REF_ONLY), ref: Ref }),
  z.strictObject({ sub: z.literal('resolve'), ref: Ref, note: FreeText.nullable() }),
  z.strictObject({ sub: z.literal('escalate'), ref: Ref, level: z.number().int().min(1).max(99).nullable() }),
  z.strictObject({ sub: z.literal('reassign'), ref: Ref, slackUserId: UserId.nullable() }),
  z.strictObject({ sub: z.literal('page'), ref: Ref, targets: z.array(Target).min(1) }),
  z.strictObject({ sub: z.literal('snooze'), ref: Ref, seconds: z.number().int().min(60).max(604_800) }),
  z.strictObject({ sub: z.literal('note'), ref: Ref, text: FreeText }),
  z.strictObject({ sub: z.literal('update'), ref: Ref, text: FreeText.nullable() }),
  z.strictObject({
    sub: z.literal('role'),
    ref: Ref,
    role: z.enum(['commander', 'comms', 'scribe']),
    slackUserId: UserId,
  }),
  z.strictObject({ sub: z.literal('oncall'), query: FreeText.nullable() }),
  z.strictObject({ sub: z.literal('fatigue'), schedule: FreeText.nullable() }),
  z.strictObject({ sub: z.literal('subscribe'), service: FreeText }),
  z.strictObject({ sub: z.literal('help'), topic: SubEnum.nullable() }),
]);

/** Every free-text field of a command (must be a slice of the input: the parser never invents text). */
function freeTexts(c: Command): string[] {
  const values: Array<string | null | undefined> = [];
  if ('title' in c) values.push(c.title);
  if ('service' in c) values.push(c.service);
  if ('note' in c) values.push(c.note);
  if ('text' in c) values.push(c.text);
  if ('query' in c) values.push(c.query);
  if ('schedule' in c) values.push(c.schedule);
  if (c.sub === 'page') for (const t of c.targets) if (t.kind === 'name') values.push(...t.name.split(' '));
  return values.filter((v): v is string => typeof v === 'string');
}

/** The subcommand the first word names, by the restated grammar (null: no such word; undefined: empty text). */
function expectedSub(text: string): Subcommand | null | undefined {
  const first = tokenize(text)[0];
  if (first === undefined) return undefined;
  return WORD_TO_SUB.get(first.toLowerCase()) ?? null;
}

function checkResult(text: string, r: ParseResult): void {
  const sub = expectedSub(text);
  if (r.ok) {
    const parsed = CommandSchema.safeParse(r.command);
    expect(parsed.success, `${JSON.stringify(r.command)}: ${parsed.error?.message}`).toBe(true);
    expect(r.command.sub).toBe(sub === undefined ? 'help' : sub);
    for (const value of freeTexts(r.command)) expect(text).toContain(value);
    return;
  }
  expect(Object.keys(r).sort()).toEqual(['error', 'ok', 'sub']);
  expect(typeof r.error).toBe('string');
  expect(r.sub).toBe(sub ?? null);
  if (r.sub === null) {
    // The unknown word is echoed cut to 60 characters, without anything that could form markup or break the code span.
    expect(r.error).toMatch(/^I don't know the subcommand `[^`<>&]{0,60}`\. Try `\/incident help`\.$/);
  } else {
    const usage = `\nUsage: \`${USAGE[r.sub].usage}\``;
    expect(r.error.endsWith(usage)).toBe(true);
    const problem = r.error.slice(0, -usage.length);
    expect(problem.length).toBeGreaterThan(0);
    expect(problem.length).toBeLessThanOrEqual(200);
    expect(problem).not.toMatch(/[<>&]/);
  }
}

// ---- Arbitrary text ----------------------------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const whitespace = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', ' \u00a0', '\u3000', '\u2028', '\ufeff');

const FRAGMENTS = [
  ...WORD_TO_SUB.keys(),
  ...Object.keys(LIST_WORDS),
  ...Object.keys(ROLE_WORDS),
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'PT4KHLK',
  'pt4khl9',
  'Q0RIJJZL24RC6W',
  'P12',
  '#42',
  '#0',
  '#1234567890',
  '#',
  '#-1',
  '<@U123ABC|alice>',
  '<@U123ABC>',
  '<@W9|John Smith>',
  '<@u1>',
  '<@U1|a|b>',
  '<#C0123|general>',
  '<#C1>',
  '<!subteam^S0123|@sre>',
  '<!subteam^S9>',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!date^1700000000^{date}|Nov 14>',
  '<https://acme.pagerduty.com/incidents/PT4KHLK>',
  '<https://acme.pagerduty.com/incidents/PT4KHLK|#12 db down>',
  'https://acme.pagerduty.com/incidents/1234?x=1',
  'https://acme.pagerduty.com/incidents/99999999999999999999',
  '<https://evil.example/phish|Click me>',
  'mailto:a@b.c',
  '30m',
  '2h',
  '1h30m',
  '1d',
  '45 seconds',
  '0m',
  '8d',
  '90',
  '99999999999999999999m',
  'L2',
  'level3',
  '0',
  '100',
  '&amp;',
  '&lt;!here&gt;',
  '`',
  '```',
  '*bold*',
  '_it_',
  '~s~',
  '<',
  '>',
  '<<>>',
  '<@',
  '|',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200b',
  '\u202e',
  '🔥',
  '👩‍👩‍👧',
  'é',
  'İ',
  'ß',
  '\ud800',
  '\udfff',
];

/** Command-shaped soup: grammar words, refs, entities, durations and junk, joined by assorted whitespace. */
const tokenSoup = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
        { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: 6 }) },
      ),
      fc.oneof({ weight: 3, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: whitespace }, fc.constant('')),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.map(([t, s]) => t + s).join(''));

/** Very long input: past the 10,000-character free-text limit, or a huge single token. */
const longText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...WORD_TO_SUB.keys()),
      fc.integer({ min: 9_990, max: 10_010 }),
      fc.constantFrom('x', ' ', 'é', '🔥'),
    )
    .map(([word, n, ch]) => `${word} a${ch.repeat(n)}`),
  fc
    .tuple(fc.constantFrom(...FRAGMENTS), fc.integer({ min: 1, max: 60_000 }))
    .map(([t, n]) => t.repeat(Math.ceil(n / Math.max(1, t.length)))),
  fc.string({ unit: 'binary', minLength: 5_000, maxLength: 20_000 }),
);

const anyText = fc.oneof(
  { weight: 3, arbitrary: tokenSoup },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...WORD_TO_SUB.keys()), whitespace, tokenSoup)
      .map(([word, space, rest]) => word + space + rest),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: longText },
);

describe('fuzz: parseCommand is total', () => {
  it('returns a typed command or a usage error for any text, and never throws', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        checkResult(text, parseCommand(text));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('refuses free text longer than 10,000 characters with the usage of its subcommand', () => {
    const textSubs = ['declare', 'list', 'resolve', 'note', 'update', 'oncall', 'fatigue', 'subscribe'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...textSubs),
        fc.integer({ min: MAX_TEXT + 1, max: MAX_TEXT + 5_000 }),
        fc.constantFrom('a', 'é', '🔥', '<!here>'),
        (sub, length, unit) => {
          const body = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
          const r = parseCommand(`${sub} ${body}`);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.sub).toBe(sub);
        },
      ),
      { numRuns: 60, seed: SEED + 1 },
    );
  });
});

describe('fuzz: parseCommand is deterministic', () => {
  it('gives the same result twice, and ignores whitespace around the whole text', () => {
    fc.assert(
      fc.property(anyText, whitespace, whitespace, (text, before, after) => {
        const first = parseCommand(text);
        expect(parseCommand(text)).toEqual(first);
        expect(parseCommand(`${before}${text}${after}`)).toEqual(first);
      }),
      { numRuns: RUNS, seed: SEED + 2 },
    );
  });
});

// ---- Valid commands, generated from the grammar ------------------------------------------------------------------

interface Rendered {
  command: Command;
  text: string;
}

const caseOf = (word: string): fc.Arbitrary<string> =>
  fc.constantFrom(word, word.toUpperCase(), word.charAt(0).toUpperCase() + word.slice(1));
const sep = fc.oneof({ weight: 4, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: whitespace });

function subWord(sub: Subcommand): fc.Arbitrary<string> {
  return fc.constantFrom(sub, ...ALIASES[sub]).chain(caseOf);
}

const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Z0-9]{${min},${max}}$`));

/** An explicit incident reference and the text naming it. */
const explicitRef: fc.Arbitrary<{ ref: IncidentRef; text: string }> = fc.oneof(
  fc.integer({ min: 0, max: 999_999_999 }).chain((n) =>
    fc.integer({ min: String(n).length, max: 9 }).map((width) => ({
      ref: { kind: 'number', number: n } as IncidentRef,
      text: `#${String(n).padStart(width, '0')}`,
    })),
  ),
  fc
    .oneof(
      alnum(6, 6).map((s) => `P${s}`),
      alnum(6, 6).map((s) => `Q${s}`),
      alnum(13, 13).map((s) => `Q${s}`),
    )
    .chain((id) =>
      // Lower case is accepted when the token has a digit (so words such as `problem` stay words).
      (/\d/.test(id) ? fc.constantFrom(id, id.toLowerCase()) : fc.constant(id)).map((text) => ({
        ref: { kind: 'id', id } as IncidentRef,
        text,
      })),
    ),
  fc
    .record({
      host: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}\.pagerduty\.com$/),
      scheme: fc.constantFrom('https', 'http'),
      // An all-digit id is an incident number, which has at most 9 digits (as in `#123`).
      id: fc.stringMatching(/^[A-Za-z0-9]{1,20}$/).filter((id) => !/^\d{10,}$/.test(id)),
      suffix: fc.constantFrom('', '/', '/timeline', '?utm=slack', '#log', '/log_entries?x=1&y=2'),
      wrap: fc.constantFrom('bare', 'angle', 'label'),
      label: fc.string({ maxLength: 30 }).filter((s) => !/[<>]/.test(s)),
    })
    .map(({ host, scheme, id, suffix, wrap, label }) => {
      const url = `${scheme}://${host}/incidents/${id}${suffix}`;
      const upper = id.toUpperCase();
      const ref: IncidentRef = /^\d+$/.test(upper)
        ? { kind: 'number', number: Number(upper) }
        : { kind: 'id', id: upper };
      const text = wrap === 'bare' ? url : wrap === 'angle' ? `<${url}>` : `<${url}|${label}>`;
      return { ref, text };
    }),
);

/** A reference, or none (implied by the channel / thread). */
const optionalRef = fc.option(explicitRef, { nil: null });

function notARef(text: string): boolean {
  return parseIncidentRef(tokenize(text)[0]) === null;
}

/** Trimmed, non-empty free text of every kind (kept well below the 10,000-character limit). */
const freeText = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }),
    fc
      .array(fc.constantFrom(...FRAGMENTS, 'db', 'is', 'down', 'Checkout API'), { minLength: 1, maxLength: 8 })
      .map((a) => a.join(' ')),
  )
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

const userMention = fc
  .record({
    id: fc.stringMatching(/^[UW][A-Z0-9]{1,11}$/),
    label: fc.option(
      fc.string({ maxLength: 20 }).filter((s) => !/[<>]/.test(s)),
      { nil: null },
    ),
  })
  .map(({ id, label }) => ({ id, text: label === null ? `<@${id}>` : `<@${id}|${label}>` }));

/**
 * `word [ref] [rest]`. With no ref, `rest` must not start with something that reads as one (it would be taken as
 * the ref: the grammar is greedy there), so such draws are discarded.
 */
function withRef<V>(
  sub: Subcommand,
  rest: fc.Arbitrary<{ text: string; value: V } | null>,
  build: (ref: IncidentRef, value: V | null) => Command,
): fc.Arbitrary<Rendered> {
  return fc
    .record({ word: subWord(sub), ref: optionalRef, rest, s1: sep, s2: sep })
    .filter(({ ref, rest }) => ref !== null || rest === null || notARef(rest.text))
    .map(({ word, ref, rest, s1, s2 }) => ({
      text: `${word}${ref ? s1 + ref.text : ''}${rest ? s2 + rest.text : ''}`,
      command: build(ref?.ref ?? { kind: 'implied' }, rest?.value ?? null),
    }));
}

const asRest = (t: string) => ({ text: t, value: t });
const optionalText = fc.option(freeText.map(asRest), { nil: null });

const UNIT_WORDS = {
  d: ['d', 'day', 'days'],
  h: ['h', 'hr', 'hrs', 'hour', 'hours'],
  m: ['m', 'min', 'mins', 'minute', 'minutes'],
  s: ['s', 'sec', 'secs', 'second', 'seconds'],
} as const;
const UNIT_SECONDS = { d: 86_400, h: 3600, m: 60, s: 1 } as const;

/** A well-formed duration (any length, zero included) and the seconds it means. */
const anyDuration: fc.Arbitrary<{ text: string; seconds: number }> = fc.oneof(
  fc.integer({ min: 1, max: 10_080 }).map((n) => ({ text: String(n), seconds: n * 60 })),
  fc
    .array(
      fc.record({
        unit: fc.constantFrom('d' as const, 'h' as const, 'm' as const, 's' as const),
        n: fc.integer({ min: 0, max: 200 }),
        pick: fc.nat(),
        gap: fc.constantFrom('', ' '),
        after: fc.constantFrom('', ' '),
        upper: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => {
      let text = '';
      let seconds = 0;
      for (const p of parts) {
        const words = UNIT_WORDS[p.unit];
        const word = words[p.pick % words.length] ?? p.unit;
        text += `${p.n}${p.gap}${p.upper ? word.toUpperCase() : word}${p.after}`;
        seconds += p.n * UNIT_SECONDS[p.unit];
      }
      return { text: text.trim(), seconds };
    }),
);
/** A duration snooze accepts: between 1 minute and 7 days. */
const duration = anyDuration.filter((d) => d.seconds >= 60 && d.seconds <= 604_800);

const levelToken = fc
  .record({
    n: fc.integer({ min: 1, max: 99 }),
    prefix: fc.constantFrom('', 'l', 'L', 'level', 'Level', 'LEVEL'),
    pad: fc.boolean(),
  })
  .map(({ n, prefix, pad }) => ({ n, text: `${prefix}${pad && n < 10 ? `0${n}` : n}` }));

const target: fc.Arbitrary<{ target: PageTarget | string; text: string }> = fc.oneof(
  userMention.map((u) => ({ target: { kind: 'user', slackUserId: u.id } as PageTarget, text: u.text })),
  fc
    .record({
      id: fc.stringMatching(/^S[A-Z0-9]{1,11}$/),
      label: fc.option(
        fc.string({ maxLength: 20 }).filter((s) => !/[<>]/.test(s)),
        { nil: null },
      ),
    })
    .map(({ id, label }) => ({
      target: { kind: 'usergroup', usergroupId: id } as PageTarget,
      text: label === null ? `<!subteam^${id}>` : `<!subteam^${id}|${label}>`,
    })),
  fc
    .oneof(
      fc.constantFrom('Database', 'Team', 'sre', 'on-call', 'Ünïcode', '🔥', 'a>b', '#ops'),
      fc.stringMatching(/^[^\s<]{1,12}$/),
    )
    .map((word) => ({ target: word, text: word })),
);

const rendered: Record<Subcommand, fc.Arbitrary<Rendered>> = {
  declare: fc
    .record({ word: subWord('declare'), title: fc.option(freeText, { nil: null }), s: sep })
    .map(({ word, title, s }) => ({
      text: title === null ? word : `${word}${s}${title}`,
      command: { sub: 'declare', title },
    })),
  list: fc
    .record({
      word: subWord('list'),
      status: fc.option(fc.constantFrom(...Object.keys(LIST_WORDS)).chain(caseOf), { nil: null }),
      service: fc.option(freeText, { nil: null }),
      s1: sep,
      s2: sep,
    })
    .filter(
      ({ status, service }) =>
        status !== null || service === null || !Object.hasOwn(LIST_WORDS, (tokenize(service)[0] ?? '').toLowerCase()),
    )
    .map(({ word, status, service, s1, s2 }) => ({
      text: `${word}${status ? s1 + status : ''}${service !== null ? s2 + service : ''}`,
      command: { sub: 'list', status: status ? (LIST_WORDS[status.toLowerCase()] ?? 'open') : 'open', service },
    })),
  ...(Object.fromEntries(
    REF_ONLY.map((sub) => [sub, withRef(sub, fc.constant(null), (ref) => ({ sub, ref }) as Command)]),
  ) as Record<(typeof REF_ONLY)[number], fc.Arbitrary<Rendered>>),
  resolve: withRef('resolve', optionalText, (ref, note) => ({ sub: 'resolve', ref, note })),
  escalate: fc
    .record({
      word: subWord('escalate'),
      ref: optionalRef,
      level: fc.option(levelToken, { nil: null }),
      s1: sep,
      s2: sep,
    })
    .map(({ word, ref, level, s1, s2 }) => ({
      text: `${word}${ref ? s1 + ref.text : ''}${level ? s2 + level.text : ''}`,
      command: { sub: 'escalate', ref: ref?.ref ?? { kind: 'implied' }, level: level?.n ?? null },
    })),
  reassign: fc
    .record({
      word: subWord('reassign'),
      ref: optionalRef,
      user: fc.option(userMention, { nil: null }),
      s1: sep,
      s2: sep,
    })
    .map(({ word, ref, user, s1, s2 }) => ({
      text: `${word}${ref ? s1 + ref.text : ''}${user ? s2 + user.text : ''}`,
      command: { sub: 'reassign', ref: ref?.ref ?? { kind: 'implied' }, slackUserId: user?.id ?? null },
    })),
  page: fc
    .record({
      word: subWord('page'),
      ref: optionalRef,
      targets: fc.array(fc.tuple(target, sep), { minLength: 1, maxLength: 6 }),
      s1: sep,
      s2: sep,
    })
    .filter(({ ref, targets }) => ref !== null || notARef(targets[0]?.[0].text ?? ''))
    .map(({ word, ref, targets, s1, s2 }) => {
      const structured = targets.map(([t]) => t.target).filter((t): t is PageTarget => typeof t !== 'string');
      const names = targets.map(([t]) => t.target).filter((t): t is string => typeof t === 'string');
      const expected: PageTarget[] =
        names.length > 0 ? [...structured, { kind: 'name', name: names.join(' ') }] : structured;
      return {
        text: `${word}${ref ? s1 + ref.text : ''}${s2}${targets.map(([t, s]) => t.text + s).join('')}`,
        command: { sub: 'page', ref: ref?.ref ?? { kind: 'implied' }, targets: expected },
      };
    }),
  snooze: withRef(
    'snooze',
    duration.map((d) => ({ text: d.text, value: d.seconds })),
    (ref, seconds) => ({ sub: 'snooze', ref, seconds: seconds ?? 0 }),
  ),
  note: withRef('note', freeText.map(asRest), (ref, text) => ({ sub: 'note', ref, text: text ?? '' })),
  update: withRef('update', optionalText, (ref, text) => ({ sub: 'update', ref, text })),
  role: fc
    .record({
      word: subWord('role'),
      ref: optionalRef,
      role: fc.constantFrom(...Object.keys(ROLE_WORDS)).chain(caseOf),
      user: userMention,
      s1: sep,
      s2: sep,
      s3: sep,
    })
    .map(({ word, ref, role, user, s1, s2, s3 }) => ({
      text: `${word}${ref ? s1 + ref.text : ''}${s2}${role}${s3}${user.text}`,
      command: {
        sub: 'role',
        ref: ref?.ref ?? { kind: 'implied' },
        role: ROLE_WORDS[role.toLowerCase()] ?? 'commander',
        slackUserId: user.id,
      },
    })),
  oncall: fc
    .record({ word: subWord('oncall'), query: fc.option(freeText, { nil: null }), s: sep })
    .map(({ word, query, s }) => ({
      text: query === null ? word : `${word}${s}${query}`,
      command: { sub: 'oncall', query },
    })),
  fatigue: fc
    .record({ word: subWord('fatigue'), schedule: fc.option(freeText, { nil: null }), s: sep })
    .map(({ word, schedule, s }) => ({
      text: schedule === null ? word : `${word}${s}${schedule}`,
      command: { sub: 'fatigue', schedule },
    })),
  subscribe: fc
    .record({ word: subWord('subscribe'), service: freeText, s: sep })
    .map(({ word, service, s }) => ({ text: `${word}${s}${service}`, command: { sub: 'subscribe', service } })),
  help: fc
    .record({
      word: subWord('help'),
      topic: fc.option(
        fc.oneof(
          fc.constantFrom(...WORD_TO_SUB.keys()).chain(caseOf),
          fc.constantFrom('nope', 'constructor', '__proto__', 'helpme', 'toString'),
        ),
        { nil: null },
      ),
      trailing: fc.option(freeText, { nil: null }),
      s1: sep,
      s2: sep,
    })
    .map(({ word, topic, trailing, s1, s2 }) => ({
      text: `${word}${topic !== null ? s1 + topic : ''}${topic !== null && trailing !== null ? s2 + trailing : ''}`,
      command: { sub: 'help', topic: topic === null ? null : (WORD_TO_SUB.get(topic.toLowerCase()) ?? null) },
    })),
};

const validCommand: fc.Arbitrary<Rendered> = fc.oneof(...SUBCOMMANDS.map((sub) => rendered[sub]));

describe('fuzz: valid commands round-trip', () => {
  it('parses every command generated from the grammar back to that command', () => {
    fc.assert(
      fc.property(validCommand, whitespace, (r, pad) => {
        const result = parseCommand(`${pad}${r.text}${pad}`);
        expect(result, r.text).toEqual({ ok: true, command: r.command });
        checkResult(r.text, result);
      }),
      { numRuns: 500, seed: SEED + 3 },
    );
  });

  it('accepts snooze durations exactly between 1 minute and 7 days, and escalation levels 1 to 99', () => {
    fc.assert(
      fc.property(anyDuration, fc.integer({ min: 0, max: 1_000 }), sep, (d, level, s) => {
        const snooze = parseCommand(`snooze${s}${d.text}`);
        if (d.seconds >= 60 && d.seconds <= 604_800) {
          expect(snooze).toEqual({
            ok: true,
            command: { sub: 'snooze', ref: { kind: 'implied' }, seconds: d.seconds },
          });
        } else expect(snooze).toMatchObject({ ok: false, sub: 'snooze' });
        const escalate = parseCommand(`escalate${s}${level}`);
        if (level >= 1 && level <= 99) {
          expect(escalate).toEqual({ ok: true, command: { sub: 'escalate', ref: { kind: 'implied' }, level } });
        } else expect(escalate).toMatchObject({ ok: false, sub: 'escalate' });
      }),
      { numRuns: 300, seed: SEED + 5 },
    );
  });

  it('covers every subcommand', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(validCommand, (r) => {
        seen.add(r.command.sub);
      }),
      { numRuns: 300, seed: SEED + 4 },
    );
    expect([...seen].sort()).toEqual([...SUBCOMMANDS].sort());
  });
});
