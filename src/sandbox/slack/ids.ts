/**
 * Deterministic, Slack-looking identifiers: `C0A1B2C3D4E` channels, `U…` users, `V…` views, `Ev…` events, message
 * `ts` values such as `1700000000.000100`, trigger ids such as `398738663015.47445629121.803a0bc8…`.
 * Same seed and same clock readings → same ids, so tests and screenshots are reproducible.
 */

import { seededRandom } from '../../shared/random.js';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';

export interface IdGenerator {
  /** `prefix` + `length` upper-case alphanumerics, unique for this generator. */
  id(prefix: string, length?: number): string;
  /** A digits-only string of `length`. */
  digits(length: number): string;
  /** Lower-case hex of `length`. */
  hex(length: number): string;
  /** A message timestamp from clock milliseconds: strictly increasing, `seconds.micros`. */
  ts(nowMs: number): string;
  /** A trigger id in Slack's shape. */
  triggerId(nowMs: number): string;
  /** Marks ids as taken (a restored workspace's), so `id` never hands them out. */
  reserve(ids: Iterable<string>): void;
  /** Makes every later `ts` greater than this one (a restored workspace's latest). */
  observeTs(ts: string): void;
}

/** Formats microseconds since the epoch as a Slack ts. */
export function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  return `${seconds}.${String(fraction).padStart(6, '0')}`;
}

/** Parses a Slack ts (`1700000000.000100`) into microseconds, or undefined when malformed. */
export function parseTs(ts: string): number | undefined {
  const match = /^(\d{1,12})\.(\d{6})$/.exec(ts);
  if (!match) return undefined;
  return Number(match[1]) * 1_000_000 + Number(match[2]);
}

/** The seed of `createIdGenerator` when none is given. */
export const DEFAULT_SEED = 0x5eed;

export function createIdGenerator(seed = DEFAULT_SEED): IdGenerator {
  const random = seededRandom(seed);
  const used = new Set<string>();
  let lastMicros = 0;
  const pick = (alphabet: string, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
    return out;
  };
  return {
    id(prefix, length = 10) {
      for (;;) {
        // Slack ids start with a digit after the prefix more often than not (C0…, U0…); mimic that.
        const candidate = `${prefix}0${pick(ALPHANUMERIC, length - 1)}`;
        if (!used.has(candidate)) {
          used.add(candidate);
          return candidate;
        }
      }
    },
    digits: (length) => pick('0123456789', length),
    hex: (length) => pick(HEX, length),
    ts(nowMs) {
      lastMicros = Math.max(Math.floor(nowMs) * 1000, lastMicros + 1);
      return formatTs(lastMicros);
    },
    triggerId(nowMs) {
      return `${Math.floor(nowMs / 1000)}${pick('0123456789', 3)}.${pick('0123456789', 11)}.${pick(HEX, 32)}`;
    },
    reserve(ids) {
      for (const id of ids) used.add(id);
    },
    observeTs(ts) {
      const micros = parseTs(ts);
      if (micros !== undefined) lastMicros = Math.max(lastMicros, micros);
    },
  };
}
