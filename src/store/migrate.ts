/**
 * Numbered SQL migrations (`migrations/NNN_name.sql`), applied at start-up in order, one transaction each,
 * recorded in `schema_migrations` with a checksum. Every migration runs under a transaction-scoped advisory lock,
 * so processes starting together apply each file exactly once; re-running is a no-op.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCode } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { silentLogger } from '../shared/logger.js';
import type { Db } from './db.js';

export interface Migration {
  /** File name, e.g. `001_init.sql`. */
  name: string;
  sql: string;
  /** sha256 of the SQL, hex. */
  checksum: string;
}

const FILE_PATTERN = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/** The migrations folder next to this module (`src/store/migrations` under tsx, `dist/store/migrations` built). */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('./migrations/', import.meta.url));
}

/** Reads `NNN_name.sql` files from `dir`, sorted by number; rejects duplicate numbers. */
export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    throw new AppError(ErrorCode.StoreFailed, `Migrations folder ${dir} is missing (is the build copying *.sql?)`, {
      cause: error,
    });
  }
  const migrations = files
    .filter((f) => FILE_PATTERN.test(f))
    .sort((a, b) => Number(FILE_PATTERN.exec(a)?.[1]) - Number(FILE_PATTERN.exec(b)?.[1]))
    .map((name) => {
      const sql = readFileSync(`${dir}/${name}`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
  const seen = new Map<number, string>();
  for (const m of migrations) {
    const n = Number(FILE_PATTERN.exec(m.name)?.[1]);
    const other = seen.get(n);
    if (other) throw new AppError(ErrorCode.StoreFailed, `Migrations ${other} and ${m.name} share number ${n}`);
    seen.set(n, m.name);
  }
  if (migrations.length === 0) throw new AppError(ErrorCode.StoreFailed, `No migrations found in ${dir}`);
  return migrations;
}

export interface MigrateOptions {
  /** Defaults to the files in `defaultMigrationsDir()`. */
  migrations?: readonly Migration[];
  logger?: Logger;
  /** Recorded as `applied_at`; defaults to now. */
  now?: () => number;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name       text PRIMARY KEY,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL
)`;

/**
 * Applies the migrations not yet recorded, each in its own transaction. Throws `store_failed` if an applied file
 * has since been edited (its checksum differs): a schema must never drift silently.
 */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = options.migrations ?? loadMigrations();
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? Date.now;
  const lockKey = `incident_bot:migrate:${db.namespace}`;
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
      await tx.exec(CREATE_TABLE);
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE name = $1', [
        migration.name,
      ]);
      const recorded = rows[0];
      if (recorded) {
        if (recorded.checksum !== migration.checksum) {
          throw new AppError(
            ErrorCode.StoreFailed,
            `Migration ${migration.name} was changed after it was applied; add a new numbered migration instead`,
            { details: { migration: migration.name } },
          );
        }
        return false;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new AppError(ErrorCode.StoreFailed, `Migration ${migration.name} failed: ${(error as Error).message}`, {
          cause: error,
          details: { migration: migration.name },
        });
      }
      await tx.query('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ($1, $2, $3)', [
        migration.name,
        migration.checksum,
        new Date(now()),
      ]);
      return true;
    });
    if (didApply) {
      applied.push(migration.name);
      logger.info({ migration: migration.name }, 'store: migration applied');
    }
  }
  const known = new Set(migrations.map((m) => m.name));
  const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  const unknown = rows.map((r) => r.name).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    logger.warn({ unknown }, 'store: the database has migrations this version does not know (newer deploy?)');
  }
  return { applied };
}
