/**
 * Opening the SQLite database and bringing its schema up to date.
 *
 * Migrations are the numbered files in `db/migrations/` (`001-init.sql`, …).
 * `PRAGMA user_version` holds the number of the last one applied; each newer
 * file runs in its own transaction together with the bump of that number, so
 * a crash leaves the schema at a whole version.
 */
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The migrations shipped with this build, in order. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => /^\d{3}-[a-z0-9-]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 3)), name, sql: readFileSync(join(dir, name), 'utf8') }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration numbering has a gap at ${m.name}`);
  });
  return migrations;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A migration failed; the database is as it was before the upgrade (all pending migrations are one transaction). */
export class MigrationError extends Error {
  override name = 'MigrationError';
  /** The backup made before the upgrade, when there was one (set by openDatabase). */
  backup: string | undefined = undefined;
  constructor(
    readonly migration: string,
    readonly from: number,
    cause: unknown,
  ) {
    super(`migration ${migration} failed (${(cause as Error)?.message ?? String(cause)}); the database was left at schema ${from}`, { cause });
  }
}

/** The pending migrations of a database, without applying them. */
export function pendingMigrations(db: Db, migrations: Migration[] = loadMigrations()): Migration[] {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema ${current} is newer than this build (${latest}); refusing to run`);
  }
  return migrations.filter((m) => m.version > current);
}

/**
 * Applies every migration newer than the database; returns the versions applied.
 *
 * All pending migrations run in one transaction, each with the bump of
 * `user_version`: an upgrade over several versions that fails in any of them
 * leaves the database exactly as it was (MigrationError), never at a
 * version in between.
 */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): number[] {
  const pending = pendingMigrations(db, migrations);
  if (pending.length === 0) return [];
  const from = schemaVersion(db);
  let running = pending[0]!;
  try {
    db.transaction(() => {
      for (const m of pending) {
        running = m;
        db.exec(m.sql);
        // user_version is an integer we produced ourselves: safe to inline.
        db.pragma(`user_version = ${m.version}`);
      }
    })();
  } catch (error) {
    throw new MigrationError(running.name, from, error);
  }
  return pending.map((m) => m.version);
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  migrations?: Migration[];
  /**
   * Called before pending migrations are applied to a database that already
   * has a schema (not a new one), with the versions from and to: the place
   * for a backup (db/backup.ts backupBeforeUpgrade). Its return value (e.g.
   * the backup's path) is attached to a MigrationError as `backup`.
   */
  beforeUpgrade?: (db: Db, from: number, to: number) => string | undefined;
}

/**
 * The log is copied back into the database once it holds this many pages
 * (SQLite's default: 1,000). A page written again before the copy is
 * copied once: the first page (the header) and the interior pages that
 * every report's commit writes again, and the leaves two reports share. At
 * 10,000 a report costs the server ≈ 6 read and write calls fewer (35 → 29;
 * the ceiling's 16.5 → 15.7), and the copy comes ten times less often,
 * each ten times longer (docs/performance.md, sixteenth run). Durability is
 * the same: each commit is synced in the log. The daily purge still copies
 * the log back and truncates it at its end (server/retention/purge.ts), so
 * deleted pages do not wait for this threshold.
 */
export const WAL_CHECKPOINT_PAGES = 10_000;

/**
 * Opens (creating if needed) the database at `path` (':memory:' for tests),
 * sets the pragmas every connection needs, and migrates it.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const db = new Database(path);
  try {
    // WAL: readers do not block the writer. Not available for ':memory:'.
    db.pragma('journal_mode = WAL');
    // FULL: a report acknowledged with 201 survives a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted rows are overwritten with zeros, not left in free pages.
    db.pragma('secure_delete = ON');
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    if (options.migrate !== false) {
      const migrations = options.migrations ?? loadMigrations();
      const pending = pendingMigrations(db, migrations);
      const from = schemaVersion(db);
      let backup: string | undefined;
      if (pending.length > 0 && from > 0 && options.beforeUpgrade) backup = options.beforeUpgrade(db, from, pending.at(-1)!.version);
      try {
        migrate(db, migrations);
      } catch (error) {
        if (error instanceof MigrationError) error.backup = backup;
        throw error;
      }
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
