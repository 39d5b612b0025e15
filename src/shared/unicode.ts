/** Half of a UTF-16 surrogate pair standing alone (text cut in the middle of an emoji upstream). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` with every lone surrogate replaced by U+FFFD, as a UTF-8 encoder would (`String#toWellFormed`, which
 * Node 20's TypeScript lib does not declare). Lone surrogates cannot be encoded: Postgres refuses them in jsonb and
 * the Slack Web API client throws `URIError` on one.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}
