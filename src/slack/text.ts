/**
 * Text safety and formatting for Slack. Untrusted text (incident titles, alert bodies, channel messages, AI
 * output) goes through `mrkdwn()` / `plain()` before it reaches a Block Kit payload: `&`, `<`, `>` are escaped so
 * nothing can form `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>`, `<@U…>` or `<url|label>`, and blocks
 * that carry untrusted mrkdwn set `verbatim: true` so Slack does not auto-link URLs, `#channels` or `@names`.
 * Lengths are counted in code points, as Slack (and `validateBlocks`) count them.
 */
import { wellFormed } from '../shared/unicode.js';

/** The visible marker appended to anything cut short. */
export const TRUNCATION_MARKER = '… (truncated)';

/** Length in code points. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function sliceCodePoints(text: string, max: number): string {
  if (max <= 0) return '';
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n >= max) break;
    out += ch;
    n++;
  }
  return out;
}

/** Escapes Slack's three control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Removes control characters (except newline and tab) that render as garbage; lone surrogates become U+FFFD. */
function stripControl(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return wellFormed(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ''));
}

/** Cuts `text` to at most `max` code points (lone surrogates as U+FFFD), appending the marker when it had to cut. */
export function truncate(raw: string, max: number, marker = TRUNCATION_MARKER): string {
  const text = wellFormed(raw);
  if (codePointLength(text) <= max) return text;
  const markerLength = codePointLength(marker);
  if (max <= markerLength) return sliceCodePoints(marker, max);
  return sliceCodePoints(text, max - markerLength).trimEnd() + marker;
}

/**
 * Cuts mrkdwn (escaped text plus the bot's own `<…>` entities) like `truncate`, without leaving half an entity:
 * a cut `&amp;`, `<@U…>` or `<https://…|label>` is dropped whole rather than shown broken.
 */
export function truncateMrkdwn(raw: string, max: number): string {
  const text = wellFormed(raw);
  if (codePointLength(text) <= max) return text;
  const markerLength = codePointLength(TRUNCATION_MARKER);
  if (max <= markerLength) return sliceCodePoints(TRUNCATION_MARKER, max);
  let cut = sliceCodePoints(text, max - markerLength);
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open !== -1 && !cut.slice(open).includes('>')) cut = cut.slice(0, open);
  return cut.trimEnd() + TRUNCATION_MARKER;
}

/**
 * Escapes untrusted text for mrkdwn and truncates the *escaped* text to `max` code points without cutting an
 * entity (`&amp;`, `&lt;`, `&gt;`) in half.
 */
export function mrkdwn(text: string, max = 3000): string {
  const escaped = escapeMrkdwn(stripControl(text));
  if (codePointLength(escaped) <= max) return escaped;
  const markerLength = codePointLength(TRUNCATION_MARKER);
  if (max <= markerLength) return sliceCodePoints(TRUNCATION_MARKER, max);
  let cut = sliceCodePoints(escaped, max - markerLength);
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return cut.trimEnd() + TRUNCATION_MARKER;
}

/**
 * Untrusted text for a `plain_text` object: single line, control characters removed, escaped like mrkdwn (Slack
 * decodes the three entities in plain text too, and a raw `<!here>` must never reach it), truncated, never empty.
 */
export function plain(text: string, max: number, fallback = '—'): string {
  const cleaned = stripControl(text).replace(/\s+/g, ' ').trim();
  return mrkdwn(cleaned === '' ? fallback : cleaned, max);
}

/**
 * Untrusted text for the top-level `text` of a message (notifications, screen readers): escaped, single line, and
 * with URL schemes broken by a word joiner so the client does not turn them into links.
 */
export function fallbackText(text: string, max = 300): string {
  const oneLine = stripControl(text).replace(/\s+/g, ' ').trim();
  return mrkdwn(oneLine.replace(/([a-z][a-z0-9+.-]*):\/\//gi, '$1:\u2060//').replace(/@/g, '@\u2060'), max);
}

/** A mrkdwn text object for untrusted content (never auto-linked). */
export function mrkdwnText(text: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A plain_text object. */
export function plainText(text: string, emoji = true): { type: 'plain_text'; text: string; emoji: boolean } {
  return { type: 'plain_text', text, emoji };
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** A user mention for a *trusted* Slack user id (from Slack itself), or an escaped name when it is not an id. */
export function userMention(slackUserId: string | undefined, fallbackName?: string): string {
  if (slackUserId && USER_ID.test(slackUserId)) return `<@${slackUserId}>`;
  return mrkdwn(fallbackName ?? 'someone', 300);
}

/** A channel mention for a trusted channel id. */
export function channelMention(channelId: string): string {
  return CHANNEL_ID.test(channelId) ? `<#${channelId}>` : mrkdwn(channelId, 100);
}

/** Characters that do not show (zero-width, bidi controls, soft hyphen): a label padded with them reads the same. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * The host an untrusted label reads as when it is nothing but a URL, an e-mail address or a domain name (after an
 * incident number or id), else null. A title that merely mentions a domain does not read as an address.
 */
function addressHost(label: string): string | null {
  const visible = label
    .replace(INVISIBLE, '')
    .trim()
    .replace(/^(?:#\d+|[A-Z0-9]{6,})\s+/, '');
  const m = /^(?:[a-z][a-z0-9+.-]*:(?:\/\/)?)?(?:[^\s@/]+@)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?::\d+)?(?:[/?#]\S*)?$/i.exec(
    visible,
  );
  return m?.[1] ? m[1].toLowerCase() : null;
}

function urlHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * A link to a trusted http(s) URL with an escaped label; just the label when the URL is not http(s). A label that
 * reads as another address (an incident titled `https://status.example.com`) would disguise the link, so it is
 * shown as text beside a plain "open" link instead.
 */
export function link(url: string | undefined | null, label: string, maxLabel = 200): string {
  const text = mrkdwn(label, maxLabel).replace(/\|/g, '¦');
  if (!url || !/^https?:\/\/[^\s<>|]+$/.test(url) || url.length > 2900) return text;
  const reads = addressHost(label);
  if (reads && reads !== urlHost(url)) return `${text} (<${url}|open>)`;
  return `<${url}|${text}>`;
}

/** Is this a usable http(s) URL for a url button (≤ 3000 characters)? */
export function isHttpUrl(url: string | undefined | null): url is string {
  return typeof url === 'string' && /^https?:\/\/[^\s<>]+$/.test(url) && url.length <= 3000;
}

/**
 * Turns Slack's encoded message text (as in slash commands with `should_escape`, and message events) into plain
 * text for PagerDuty: `<@U1|alice>` → `@alice`, `<#C1|ops>` → `#ops`, `<!subteam^S1|@sre>` → `@sre`,
 * `<!here>` → `@here`, `<https://x|label>` → `label (https://x)`, then unescapes `&lt;`, `&gt;`, `&amp;`.
 */
export function slackToPlain(text: string): string {
  const replaced = text.replace(/<([^<>]*)>/g, (_m, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!subteam^')) return label ? `@${label.replace(/^@/, '')}` : '@team';
    if (target.startsWith('!')) {
      const word = target.slice(1).split('^')[0] ?? '';
      return label ?? `@${word}`;
    }
    return label && label !== target ? `${label} (${target})` : target;
  });
  return replaced.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Relative age such as `just now`, `4m`, `2h 5m`, `3d 4h`. */
export function formatAge(fromMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** A duration in seconds as `45m`, `2h`, `1h 30m`, `3d`. */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 24) return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** Slack's date formatting token (`<!date^…>`), rendered in each reader's time zone, with a UTC fallback. */
export function slackDate(ms: number, format = '{date_short_pretty} {time}'): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16);
  return `<!date^${seconds}^${format}|${fallback} UTC>`;
}

/** Splits text into chunks of at most `max` code points, preferring paragraph, then line, then word breaks. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (codePointLength(rest) > max) {
    const window = sliceCodePoints(rest, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 3) cut = window.lastIndexOf('\n');
    if (cut < max / 3) cut = window.lastIndexOf(' ');
    if (cut < max / 3) cut = window.length;
    // Never split an entity such as `&amp;`.
    const amp = window.slice(0, cut).lastIndexOf('&');
    if (amp !== -1 && amp > cut - 6 && !window.slice(amp, cut).includes(';')) cut = amp > 0 ? amp : cut;
    chunks.push(window.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}
