import type { Rng } from './rng.js';

/** PagerDuty-shaped identifiers from a seeded generator: same seed, same ids. Never repeats an id. */
export interface IdFactory {
  /** `P` + 6 characters: users, teams, services, schedules, policies, notes… */
  short(): string;
  /** `Q` + 13 characters: incidents and alerts. */
  long(): string;
  /** `R` + 25 characters: log entries. */
  logEntry(): string;
  /** 26-character ULID-like id for webhook events. */
  event(): string;
  /** RFC 4122 v4-shaped UUID (X-Webhook-Id). */
  uuid(): string;
  /** 32 lowercase hex characters (integration keys, generated dedup keys). */
  hex32(): string;
  /** Marks ids as taken (a restored snapshot's), so this factory never hands them out. */
  reserve(ids: Iterable<string>): void;
}

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function createIdFactory(rng: Rng): IdFactory {
  const used = new Set<string>();
  const unique = (make: () => string): string => {
    for (;;) {
      const id = make();
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  return {
    short: () => unique(() => `P${rng.token(6)}`),
    long: () => unique(() => `Q${rng.token(13)}`),
    logEntry: () => unique(() => `R${rng.token(25)}`),
    event: () => unique(() => `01${rng.token(24, ULID_ALPHABET)}`),
    uuid: () =>
      unique(() => {
        const h = rng.hex(32);
        const variant = '89ab'[rng.int(0, 3)];
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
      }),
    hex32: () => unique(() => rng.hex(32)),
    reserve: (ids) => {
      for (const id of ids) used.add(id);
    },
  };
}
