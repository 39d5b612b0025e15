/** PagerDuty's largest page (`limit` maximum for classic pagination). */
export const PAGE_LIMIT = 100;
/** PagerDuty refuses `offset + limit` above this with a 400 (developer-docs `REST-API/09-Pagination.md`). */
export const OFFSET_CAP = 10_000;
/** Default cap on items collected by one list call. */
export const DEFAULT_MAX_ITEMS = 1000;

export interface ListResult<T> {
  items: T[];
  /** True when more items exist than were returned (the cap, or PagerDuty's offset limit, was reached). */
  truncated: boolean;
}

export interface Page<T> {
  items: T[];
  more: boolean;
}

/**
 * Collects offset-paginated results, never asking for `offset + limit > 10000` and never collecting more than
 * `maxItems`. `fetchPage` is called with the offset and limit of each page, in order.
 */
export async function collectPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  maxItems: number,
): Promise<ListResult<T>> {
  const cap = Math.max(1, Math.min(Math.floor(maxItems), OFFSET_CAP));
  const limit = Math.min(PAGE_LIMIT, cap);
  const items: T[] = [];
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset, limit);
    items.push(...page.items);
    if (items.length > cap) return { items: items.slice(0, cap), truncated: true };
    if (!page.more) return { items, truncated: false };
    if (items.length === cap) return { items, truncated: true };
    // A server that says "more" but sends an empty page would loop; the offset cap below also bounds it.
    offset += limit;
    if (offset + limit > OFFSET_CAP || page.items.length === 0) return { items, truncated: true };
  }
}
