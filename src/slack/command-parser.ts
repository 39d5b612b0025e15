/**
 * The `/incident` grammar: a pure parser from the command text (as Slack sends it with `should_escape`, so
 * mentions arrive as `<@U…|name>`) to a typed command, or a usage error naming the subcommand. No I/O here.
 */

export const SUBCOMMANDS = [
  'declare',
  'list',
  'show',
  'ack',
  'resolve',
  'escalate',
  'reassign',
  'page',
  'snooze',
  'note',
  'update',
  'role',
  'oncall',
  'triage',
  'analyze',
  'correlate',
  'postmortem',
  'runbook',
  'responder',
  'fatigue',
  'subscribe',
  'help',
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

const ALIASES: Record<string, Subcommand> = {
  new: 'declare',
  create: 'declare',
  ls: 'list',
  info: 'show',
  acknowledge: 'ack',
  close: 'resolve',
  assign: 'reassign',
  notes: 'note',
  'on-call': 'oncall',
  who: 'oncall',
  analyse: 'analyze',
  pm: 'postmortem',
  '?': 'help',
};

/** How an incident was named: a PagerDuty id, a `#number`, or implied by the channel / thread. */
export type IncidentRef = { kind: 'id'; id: string } | { kind: 'number'; number: number } | { kind: 'implied' };

export type ListStatus = 'triggered' | 'acknowledged' | 'resolved' | 'open' | 'all';
export type Role = 'commander' | 'comms' | 'scribe';

/** Someone to page: a Slack user, a Slack user group, or a PagerDuty escalation policy / team by name. */
export type PageTarget =
  | { kind: 'user'; slackUserId: string }
  | { kind: 'usergroup'; usergroupId: string }
  | { kind: 'name'; name: string };

export type Command =
  | { sub: 'declare'; title: string | null }
  | { sub: 'list'; status: ListStatus; service: string | null }
  | { sub: 'show'; ref: IncidentRef }
  | { sub: 'ack'; ref: IncidentRef }
  | { sub: 'resolve'; ref: IncidentRef; note: string | null }
  | { sub: 'escalate'; ref: IncidentRef; level: number | null }
  | { sub: 'reassign'; ref: IncidentRef; slackUserId: string | null }
  | { sub: 'page'; ref: IncidentRef; targets: PageTarget[] }
  | { sub: 'snooze'; ref: IncidentRef; seconds: number }
  | { sub: 'note'; ref: IncidentRef; text: string }
  | { sub: 'update'; ref: IncidentRef; text: string | null }
  | { sub: 'role'; ref: IncidentRef; role: Role; slackUserId: string }
  | { sub: 'oncall'; query: string | null }
  | { sub: 'triage' | 'analyze' | 'postmortem' | 'runbook' | 'responder'; ref: IncidentRef }
  | { sub: 'correlate'; ref: IncidentRef }
  | { sub: 'fatigue'; schedule: string | null }
  | { sub: 'subscribe'; service: string }
  | { sub: 'help'; topic: Subcommand | null };

export type ParseResult = { ok: true; command: Command } | { ok: false; sub: Subcommand | null; error: string };

/** One-line usage per subcommand (`[…]` optional, `<…>` required; `incident` = PagerDuty id or `#number`). */
export const USAGE: Record<Subcommand, { usage: string; summary: string }> = {
  declare: { usage: '/incident declare [title]', summary: 'Declare a new incident (opens a form).' },
  list: {
    usage: '/incident list [triggered|acknowledged|resolved|open|all] [service]',
    summary: 'List incidents (open ones by default).',
  },
  show: { usage: '/incident show [incident]', summary: 'Post the live incident card here.' },
  ack: { usage: '/incident ack [incident]', summary: 'Acknowledge an incident.' },
  resolve: { usage: '/incident resolve [incident] [resolution note]', summary: 'Resolve, with a resolution note.' },
  escalate: { usage: '/incident escalate [incident] [level]', summary: 'Escalate (to the next level by default).' },
  reassign: { usage: '/incident reassign [incident] [@user]', summary: 'Reassign to someone else.' },
  page: { usage: '/incident page [incident] <@user|@group|team name>', summary: 'Add responders.' },
  snooze: { usage: '/incident snooze [incident] <duration, e.g. 30m, 2h>', summary: 'Snooze (acknowledged only).' },
  note: { usage: '/incident note [incident] <text>', summary: 'Add a note to the PagerDuty incident.' },
  update: {
    usage: '/incident update [incident] [text]',
    summary: 'Post a stakeholder status update (no text: edit an AI draft).',
  },
  role: {
    usage: '/incident role [incident] <commander|comms|scribe> <@user>',
    summary: 'Assign an incident role.',
  },
  oncall: { usage: '/incident oncall [schedule or service]', summary: 'Who is on call now.' },
  triage: { usage: '/incident triage [incident]', summary: 'AI triage: severity, category, team, urgency.' },
  analyze: { usage: '/incident analyze [incident]', summary: 'AI analysis: hypotheses, impact, similar incidents.' },
  correlate: { usage: '/incident correlate [incident]', summary: 'Find related open incidents and merge candidates.' },
  postmortem: { usage: '/incident postmortem [incident]', summary: 'Draft a postmortem.' },
  runbook: { usage: '/incident runbook [incident]', summary: 'Suggest a runbook checklist.' },
  responder: { usage: '/incident responder [incident]', summary: 'Suggest the best responder to page.' },
  fatigue: { usage: '/incident fatigue [schedule]', summary: 'On-call fatigue risk.' },
  subscribe: { usage: '/incident subscribe <service>', summary: "Route a service's incidents to this channel." },
  help: { usage: '/incident help [subcommand]', summary: 'Show this help.' },
};

const MAX_SNOOZE_SECONDS = 604_800;
const MAX_TEXT = 10_000;

/** A token and where it starts in the command text. */
interface Token {
  value: string;
  start: number;
}

/** Splits on whitespace, keeping Slack's `<…>` entities (which may contain spaces) whole. */
export function tokenize(text: string): string[] {
  return scan(text).map((t) => t.value);
}

function scan(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /<[^<>]*>|[^\s<]+|</g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) tokens.push({ value: m[0], start: m.index });
  return tokens;
}

const PD_ID = /^(?:[PQ][A-Z0-9]{6}|Q[A-Z0-9]{13})$/;
const PD_URL = /^<?https?:\/\/[^\s/]+\/incidents\/([A-Z0-9]{1,20})(?:[/?#][^\s>|]*)?(?:\|[^>]*)?>?$/i;

/** Parses a token as an incident reference, or returns null. */
export function parseIncidentRef(token: string | undefined): IncidentRef | null {
  if (!token) return null;
  const number = /^#(\d{1,9})$/.exec(token);
  if (number?.[1]) return { kind: 'number', number: Number(number[1]) };
  if (PD_ID.test(token)) return { kind: 'id', id: token };
  const upper = token.toUpperCase();
  if (/\d/.test(token) && PD_ID.test(upper)) return { kind: 'id', id: upper };
  const url = PD_URL.exec(token);
  if (url?.[1]) {
    const id = url[1].toUpperCase();
    // Incident numbers have at most 9 digits, as in `#123`: a longer one would not survive `Number()` exactly.
    if (/^\d+$/.test(id)) return /^\d{1,9}$/.test(id) ? { kind: 'number', number: Number(id) } : null;
    return { kind: 'id', id };
  }
  return null;
}

/** `<@U123|alice>` or `<@U123>` → `U123`. */
export function parseUserMention(token: string | undefined): string | null {
  const m = token ? /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token) : null;
  return m?.[1] ?? null;
}

function parseUsergroupMention(token: string): string | null {
  const m = /^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  return m?.[1] ?? null;
}

/** Parses `30m`, `2h`, `1h30m`, `90` (minutes), `1d`, `45s` into seconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t) * 60;
  const re = /(\d+)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    const n = Number(m[1]);
    const unit = (m[2] ?? 'm')[0];
    total += unit === 'd' ? n * 86_400 : unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : n;
    matched = re.lastIndex;
    while (t[re.lastIndex] === ' ') re.lastIndex++;
  }
  if (matched === 0 || t.slice(matched).trim() !== '') return null;
  return total;
}

function usage(sub: Subcommand, problem: string): ParseResult {
  return { ok: false, sub, error: `${problem}\nUsage: \`${USAGE[sub].usage}\`` };
}

/** The tokens still to read, over the original text (so free text keeps its spacing). */
class Cursor {
  private index = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  peek(offset = 0): string | undefined {
    return this.tokens[this.index + offset]?.value;
  }

  shift(): string | undefined {
    const t = this.tokens[this.index];
    if (t) this.index++;
    return t?.value;
  }

  get remaining(): number {
    return this.tokens.length - this.index;
  }

  /** The rest of the text verbatim, or null when nothing is left. */
  rest(): string | null {
    const t = this.tokens[this.index];
    if (!t) return null;
    const text = this.text.slice(t.start).trim();
    return text === '' ? null : text;
  }

  /** Takes a leading incident reference (implied when absent). */
  ref(): IncidentRef {
    const ref = parseIncidentRef(this.peek());
    if (ref) {
      this.index++;
      return ref;
    }
    return { kind: 'implied' };
  }
}

const LIST_STATUSES: Record<string, ListStatus> = {
  triggered: 'triggered',
  open: 'open',
  acknowledged: 'acknowledged',
  acked: 'acknowledged',
  ack: 'acknowledged',
  resolved: 'resolved',
  all: 'all',
};

const ROLES: Record<string, Role> = {
  commander: 'commander',
  ic: 'commander',
  lead: 'commander',
  comms: 'comms',
  communications: 'comms',
  scribe: 'scribe',
};

/** Resolves a subcommand word (or alias) to its canonical name. */
export function resolveSubcommand(word: string): Subcommand | null {
  const w = word.toLowerCase();
  if ((SUBCOMMANDS as readonly string[]).includes(w)) return w as Subcommand;
  return Object.hasOwn(ALIASES, w) ? (ALIASES[w] ?? null) : null;
}

/** Parses the text after `/incident`. Empty text is `help`. */
export function parseCommand(text: string): ParseResult {
  const c = new Cursor(text, scan(text));
  const first = c.shift();
  if (first === undefined) return { ok: true, command: { sub: 'help', topic: null } };
  const sub = resolveSubcommand(first);
  if (sub === null) {
    return { ok: false, sub: null, error: `I don't know the subcommand \`${clean(first)}\`. Try \`/incident help\`.` };
  }
  if ((c.rest() ?? '').length > MAX_TEXT) return usage(sub, `That text is too long (at most ${MAX_TEXT} characters).`);
  const extra = (): ParseResult => usage(sub, `I didn't understand \`${clean(c.rest() ?? '')}\`.`);

  switch (sub) {
    case 'declare':
      return { ok: true, command: { sub, title: c.rest() } };
    case 'list': {
      let status: ListStatus = 'open';
      const head = c.peek()?.toLowerCase();
      const known = head !== undefined && Object.hasOwn(LIST_STATUSES, head) ? LIST_STATUSES[head] : undefined;
      if (known) {
        status = known;
        c.shift();
      }
      return { ok: true, command: { sub, status, service: c.rest() } };
    }
    case 'show':
    case 'ack':
    case 'triage':
    case 'analyze':
    case 'postmortem':
    case 'runbook':
    case 'responder':
    case 'correlate': {
      const ref = c.ref();
      if (c.remaining > 0) return extra();
      return { ok: true, command: { sub, ref } };
    }
    case 'resolve': {
      const ref = c.ref();
      return { ok: true, command: { sub, ref, note: c.rest() } };
    }
    case 'escalate': {
      const ref = c.ref();
      const levelToken = c.shift();
      if (c.remaining > 0) return extra();
      if (levelToken === undefined) return { ok: true, command: { sub, ref, level: null } };
      const level = /^(?:l|level)?(\d{1,2})$/i.exec(levelToken);
      if (!level?.[1] || Number(level[1]) < 1) return usage(sub, 'The level must be a number such as `2`.');
      return { ok: true, command: { sub, ref, level: Number(level[1]) } };
    }
    case 'reassign': {
      const ref = c.ref();
      if (c.remaining === 0) return { ok: true, command: { sub, ref, slackUserId: null } };
      const user = parseUserMention(c.shift());
      if (!user || c.remaining > 0) return usage(sub, 'Mention one person with @, e.g. `@alice`.');
      return { ok: true, command: { sub, ref, slackUserId: user } };
    }
    case 'page': {
      const ref = c.ref();
      if (c.remaining === 0) return usage(sub, 'Say who to page.');
      const targets: PageTarget[] = [];
      const names: string[] = [];
      for (let token = c.shift(); token !== undefined; token = c.shift()) {
        const user = parseUserMention(token);
        const group = user ? null : parseUsergroupMention(token);
        if (user) targets.push({ kind: 'user', slackUserId: user });
        else if (group) targets.push({ kind: 'usergroup', usergroupId: group });
        else if (token.startsWith('<')) return usage(sub, 'I can page people (@alice), groups (@sre) or a team name.');
        else names.push(token);
      }
      if (names.length > 0) targets.push({ kind: 'name', name: names.join(' ') });
      return { ok: true, command: { sub, ref, targets } };
    }
    case 'snooze': {
      const ref = c.ref();
      const text = c.rest();
      if (!text) return usage(sub, 'Say for how long.');
      const seconds = parseDuration(text);
      if (seconds === null) return usage(sub, `I couldn't read \`${clean(text)}\` as a duration.`);
      if (seconds < 60 || seconds > MAX_SNOOZE_SECONDS) {
        return usage(sub, 'The duration must be between 1 minute and 7 days.');
      }
      return { ok: true, command: { sub, ref, seconds } };
    }
    case 'note': {
      const ref = c.ref();
      const note = c.rest();
      if (!note) return usage(sub, 'Write the note after the command.');
      return { ok: true, command: { sub, ref, text: note } };
    }
    case 'update': {
      const ref = c.ref();
      return { ok: true, command: { sub, ref, text: c.rest() } };
    }
    case 'role': {
      const ref = c.ref();
      const roleWord = c.shift()?.toLowerCase() ?? '';
      const role = Object.hasOwn(ROLES, roleWord) ? ROLES[roleWord] : undefined;
      const user = parseUserMention(c.shift());
      if (!role || !user || c.remaining > 0) {
        return usage(sub, 'Name a role (commander, comms or scribe) and mention one person.');
      }
      return { ok: true, command: { sub, ref, role, slackUserId: user } };
    }
    case 'oncall':
      return { ok: true, command: { sub, query: c.rest() } };
    case 'fatigue':
      return { ok: true, command: { sub, schedule: c.rest() } };
    case 'subscribe': {
      const service = c.rest();
      if (!service) return usage(sub, 'Name the service (or its PagerDuty id).');
      return { ok: true, command: { sub, service } };
    }
    case 'help': {
      const word = c.shift();
      return { ok: true, command: { sub, topic: word ? resolveSubcommand(word) : null } };
    }
  }
}

function clean(text: string): string {
  return text.slice(0, 60).replace(/[`<>&]/g, '');
}
