/// <reference lib="dom" />
/**
 * DOM helpers for the console. Text always goes in through `textContent` / text nodes, never as HTML: nothing
 * a bot or a person writes can inject markup.
 */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** Creates an element; `on…` attributes become listeners, `false`/`undefined` attributes are skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'className') {
      el.className = String(value);
    } else if (
      key === 'value' &&
      (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)
    ) {
      el.value = String(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Only http(s) and mailto links become clickable; anything else (javascript:, data:…) stays text. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url, window.location.href);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link that opens in a new tab, or plain text when the URL is not safe. */
export function link(url: string, label: string): HTMLElement {
  const href = safeHref(url);
  if (href === undefined) return h('span', { className: 'unsafe-link', title: 'link not allowed' }, label);
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label);
}

/** Slack shows times as "3:04 AM"; the console uses the browser's locale. */
export function formatTs(ts: string): string {
  const seconds = Number(ts.split('.')[0]);
  if (!Number.isFinite(seconds)) return '';
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
