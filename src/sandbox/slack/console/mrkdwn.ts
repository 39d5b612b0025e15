/**
 * Slack mrkdwn → a small syntax tree the console turns into DOM nodes (text only, never HTML).
 * Covers what Slack renders: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, <url|links>, <@U…> users,
 * <#C…> channels, <!subteam^S…> groups, <!here> / <!channel> / <!everyone>, <!date^…|fallback>, :emoji:, and the
 * three entities Slack escapes (&amp; &lt; &gt;). Pure: no DOM, so it is unit-tested in Node.
 */

export type MrkdwnNode =
  | { type: 'text'; text: string }
  | { type: 'bold' | 'italic' | 'strike'; children: MrkdwnNode[] }
  | { type: 'code'; text: string }
  | { type: 'pre'; text: string }
  | { type: 'quote'; children: MrkdwnNode[] }
  | { type: 'link'; url: string; label: string }
  | { type: 'user'; id: string; label?: string }
  | { type: 'channel'; id: string; label?: string }
  | { type: 'usergroup'; id: string; label?: string }
  | { type: 'broadcast'; range: string }
  | { type: 'date'; text: string }
  | { type: 'emoji'; name: string; char?: string }
  | { type: 'br' };

/** The emoji the bot and its users are likely to use; others render as `:name:`. */
export const EMOJI: Readonly<Record<string, string>> = {
  pushpin: '📌',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  rotating_light: '🚨',
  fire: '🔥',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  eyes: '👀',
  bell: '🔔',
  no_bell: '🔕',
  robot_face: '🤖',
  memo: '📝',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  zzz: '💤',
  sos: '🆘',
  mag: '🔍',
  link: '🔗',
  clipboard: '📋',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  busts_in_silhouette: '👥',
  bust_in_silhouette: '👤',
  stopwatch: '⏱️',
  alarm_clock: '⏰',
  tada: '🎉',
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  thumbsdown: '👎',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  arrow_right: '➡️',
  arrows_counterclockwise: '🔄',
  books: '📚',
  book: '📖',
  bulb: '💡',
  wrench: '🔧',
  hammer_and_wrench: '🛠️',
  pager: '📟',
  phone: '☎️',
  speech_balloon: '💬',
  thinking_face: '🤔',
  information_source: 'ℹ️',
  calendar: '📅',
  siren: '🚨',
  checkered_flag: '🏁',
  lock: '🔒',
  package: '📦',
  rocket: '🚀',
  sparkles: '✨',
  mega: '📣',
  loudspeaker: '📢',
  scroll: '📜',
  traffic_light: '🚥',
  construction: '🚧',
};

/** Decodes the three entities Slack escapes in message text. */
export function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Opening markers need a boundary before them, closing markers one after them (as Slack's renderer does). */
const BEFORE = /[\s([{'"“‘>]/;
const AFTER = /[\s.,;:!?)\]}'"”’<-]/;

interface Match {
  index: number;
  length: number;
  node: MrkdwnNode;
}

function angle(inner: string): MrkdwnNode {
  const [target = '', ...rest] = inner.split('|');
  const label = rest.length > 0 ? decodeEntities(rest.join('|')) : undefined;
  if (target.startsWith('@')) return { type: 'user', id: target.slice(1), ...(label ? { label } : {}) };
  if (target.startsWith('#')) return { type: 'channel', id: target.slice(1), ...(label ? { label } : {}) };
  if (target.startsWith('!subteam^'))
    return { type: 'usergroup', id: target.slice('!subteam^'.length), ...(label ? { label } : {}) };
  if (target === '!here' || target === '!channel' || target === '!everyone')
    return { type: 'broadcast', range: target.slice(1) };
  if (target.startsWith('!date^')) {
    const [, seconds = '', format = ''] = target.split('^');
    const when = new Date(Number(seconds) * 1000);
    const fallback = label ?? (Number.isFinite(when.getTime()) ? when.toISOString() : format);
    return { type: 'date', text: fallback };
  }
  if (target.startsWith('!')) return { type: 'text', text: label ?? target.slice(1) };
  const url = decodeEntities(target);
  return { type: 'link', url, label: label ?? url };
}

function formatted(text: string, marker: '*' | '_' | '~', from: number): Match | undefined {
  for (let i = text.indexOf(marker, from); i >= 0; i = text.indexOf(marker, i + 1)) {
    const before = i === 0 ? ' ' : (text[i - 1] ?? ' ');
    const next = text[i + 1];
    if (!BEFORE.test(before) || next === undefined || /\s/.test(next) || next === marker) continue;
    for (let j = text.indexOf(marker, i + 2); j >= 0; j = text.indexOf(marker, j + 1)) {
      const prev = text[j - 1] ?? ' ';
      const after = j + 1 >= text.length ? ' ' : (text[j + 1] ?? ' ');
      if (/\s/.test(prev) || !AFTER.test(after)) continue;
      const inner = text.slice(i + 1, j);
      if (inner.includes('\n')) break;
      const type = marker === '*' ? 'bold' : marker === '_' ? 'italic' : 'strike';
      return { index: i, length: j - i + 1, node: { type, children: inline(inner) } };
    }
  }
  return undefined;
}

function earliest(text: string): Match | undefined {
  const candidates: Match[] = [];
  const code = /`([^`\n]+)`/.exec(text);
  if (code)
    candidates.push({
      index: code.index,
      length: code[0].length,
      node: { type: 'code', text: decodeEntities(code[1] ?? '') },
    });
  const control = /<([^<>\n]+)>/.exec(text);
  if (control) candidates.push({ index: control.index, length: control[0].length, node: angle(control[1] ?? '') });
  const emoji = /:([a-z0-9_+'-]+):/.exec(text);
  if (emoji) {
    const name = emoji[1] ?? '';
    const char = EMOJI[name];
    candidates.push({
      index: emoji.index,
      length: emoji[0].length,
      node: { type: 'emoji', name, ...(char ? { char } : {}) },
    });
  }
  for (const marker of ['*', '_', '~'] as const) {
    const m = formatted(text, marker, 0);
    if (m) candidates.push(m);
  }
  // The earliest wins; at the same position the longer one (a bold span over its own first character's code).
  candidates.sort((a, b) => a.index - b.index || b.length - a.length);
  return candidates[0];
}

/** Inline mrkdwn of one line (no quotes, no pre blocks). */
export function inline(text: string): MrkdwnNode[] {
  const out: MrkdwnNode[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = earliest(rest);
    if (!match) {
      out.push({ type: 'text', text: decodeEntities(rest) });
      break;
    }
    if (match.index > 0) out.push({ type: 'text', text: decodeEntities(rest.slice(0, match.index)) });
    out.push(match.node);
    rest = rest.slice(match.index + match.length);
  }
  return out;
}

function lines(text: string): MrkdwnNode[] {
  const out: MrkdwnNode[] = [];
  const rows = text.split('\n');
  let quote: MrkdwnNode[] | undefined;
  rows.forEach((row, index) => {
    const quoted = /^(?:&gt;|>)\s?(.*)$/.exec(row);
    if (quoted) {
      if (!quote) {
        quote = [];
        out.push({ type: 'quote', children: quote });
      } else {
        quote.push({ type: 'br' });
      }
      quote.push(...inline(quoted[1] ?? ''));
      return;
    }
    quote = undefined;
    out.push(...inline(row));
    const next = rows[index + 1];
    if (index < rows.length - 1 && !(next !== undefined && /^(?:&gt;|>)/.test(next))) out.push({ type: 'br' });
  });
  return out;
}

/** Parses Slack mrkdwn into nodes. */
export function parseMrkdwn(text: string): MrkdwnNode[] {
  const out: MrkdwnNode[] = [];
  const parts = text.split('```');
  parts.forEach((part, index) => {
    const isPre = index % 2 === 1 && index < parts.length - 1;
    if (isPre) {
      out.push({ type: 'pre', text: decodeEntities(part.replace(/^\n/, '').replace(/\n$/, '')) });
      return;
    }
    const chunk = index % 2 === 1 ? `\`\`\`${part}` : part;
    if (chunk !== '') out.push(...lines(chunk));
  });
  return out;
}

/** The plain text a node tree shows (used for previews and tests). */
export function plainText(
  nodes: readonly MrkdwnNode[],
  names: (kind: 'user' | 'channel' | 'usergroup', id: string) => string = (_k, id) => id,
): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text':
        case 'code':
        case 'pre':
        case 'date':
          return n.text;
        case 'bold':
        case 'italic':
        case 'strike':
        case 'quote':
          return plainText(n.children, names);
        case 'link':
          return n.label;
        case 'user':
          return `@${n.label ?? names('user', n.id)}`;
        case 'channel':
          return `#${n.label ?? names('channel', n.id)}`;
        case 'usergroup':
          return n.label ?? `@${names('usergroup', n.id)}`;
        case 'broadcast':
          return `@${n.range}`;
        case 'emoji':
          return n.char ?? `:${n.name}:`;
        case 'br':
          return '\n';
        default:
          return '';
      }
    })
    .join('');
}

/**
 * What Slack's composer sends for typed text: `&`, `<`, `>` escaped, `@name` turned into `<@U…>` and `#channel` into
 * `<#C…|channel>` for the people and channels it knows (the bot included, so `@incident-bot` is an app_mention).
 */
export function composeText(
  typed: string,
  people: ReadonlyArray<{ id: string; name: string }>,
  channels: ReadonlyArray<{ id: string; name: string }>,
): string {
  const escaped = typed.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return escaped.replace(
    /(^|[\s(])([@#])([a-z0-9][a-z0-9._-]*)/gi,
    (match, before: string, sigil: string, name: string) => {
      const bare = name.replace(/[.]+$/, '');
      const rest = name.slice(bare.length);
      if (sigil === '@') {
        const person = people.find((p) => p.name.toLowerCase() === bare.toLowerCase());
        return person ? `${before}<@${person.id}>${rest}` : match;
      }
      const channel = channels.find((c) => c.name === bare.toLowerCase());
      return channel ? `${before}<#${channel.id}|${channel.name}>${rest}` : match;
    },
  );
}
