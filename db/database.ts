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

/** Applies every migration newer than the database; returns the versions applied. */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): number[] {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema ${current} is newer than this build (${latest}); refusing to run`);
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      // user_version is an integer we produced ourselves: safe to inline.
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  migrations?: Migration[];
}

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
    if (options.migrate !== false) migrate(db, options.migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
