import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * PagerDuty v3 webhook signatures (developer-docs `docs/webhooks/04-Signatures.md`): the
 * `X-PagerDuty-Signature` header is a comma-separated list of `v1=<hex HMAC-SHA256(secret, raw body)>` entries
 * (several while a secret is being rotated). A delivery is authentic when any `v1` entry matches any configured
 * secret. Nothing time-based is signed, so replays are bounded by de-duplicating `X-Webhook-Id` elsewhere.
 */

export type SignatureFailure = 'no_secrets' | 'missing_header' | 'malformed_header' | 'mismatch';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

export interface VerifySignatureInput {
  /** Every accepted secret (`PAGERDUTY_WEBHOOK_SECRETS`, several during rotation). */
  secrets: readonly string[];
  /** The exact bytes received, before any parsing. */
  rawBody: Buffer;
  /** The `X-PagerDuty-Signature` header as received (undefined when absent). */
  header: string | string[] | undefined;
}

/** Longest header we look at: 8 rotation entries of `v1=` + 64 hex chars, with generous slack. */
const MAX_HEADER_LENGTH = 2048;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** `hex(HMAC-SHA256(secret, body))`, the value a `v1=` entry carries. */
export function computeSignature(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Parses the header into the hex digests of its `v1` entries. Entries of other (future) versions are skipped,
 * as PagerDuty's docs ask; a header with no usable `v1` entry, or one that is not plausibly a signature header,
 * yields `null`.
 */
export function parseSignatureHeader(header: string): Buffer[] | null {
  if (header.length === 0 || header.length > MAX_HEADER_LENGTH) return null;
  const digests: Buffer[] = [];
  for (const raw of header.split(',')) {
    const entry = raw.trim();
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const version = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (version !== 'v1' || !HEX_SHA256.test(value)) continue;
    digests.push(Buffer.from(value.toLowerCase(), 'hex'));
  }
  return digests.length > 0 ? digests : null;
}

/**
 * Checks a delivery's signature against every secret, in constant time per comparison (`timingSafeEqual` on
 * equal-length digests). Every entry is compared against every secret, so the time taken does not reveal which
 * pair matched.
 */
export function verifyPagerDutySignature(input: VerifySignatureInput): SignatureCheck {
  const secrets = input.secrets.filter((s) => s.length > 0);
  if (secrets.length === 0) return { ok: false, reason: 'no_secrets' };
  const header = Array.isArray(input.header) ? input.header.join(',') : input.header;
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_header' };
  const provided = parseSignatureHeader(header);
  if (provided === null) return { ok: false, reason: 'malformed_header' };
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(input.rawBody).digest();
    for (const candidate of provided) {
      // Both are 32-byte SHA-256 digests, so timingSafeEqual never throws on a length mismatch.
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
