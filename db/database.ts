/**
 * Opening the SQLite database and bringing its schema up to date.
 *
 * Migrations are the numbered files in `db/migrations/` (`001-init.sql`, …).
 * `PRAGMA user_version` holds the number of the last one applied; each newer
 * file runs in its own transaction together with the bump of that number, so
 * a crash leaves the schema at a whole version.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export type Db = Database.Database;

/**
 * `db.transaction(work)`, begun IMMEDIATE: for every transaction that writes. Another connection writes too
 * (`ombud backup` sets and removes its mark, db/backup.ts; the operator's commands run in processes of their
 * own). A transaction begun DEFERRED takes the write lock only at its first write, and when another
 * connection committed after its first read, SQLite refuses that write at once, without waiting
 * (SQLITE_BUSY_SNAPSHOT): a report sent at that moment was answered 500. Begun IMMEDIATE, it waits for the
 * other writer (busy_timeout) before it reads (db/concurrent-writers.test.ts). Nested, it is a savepoint as before.
 */
export function writeTransaction<F extends (...args: never[]) => unknown>(db: Db, work: F): (...args: Parameters<F>) => ReturnType<F> {
  return db.transaction(work as unknown as (...args: unknown[]) => unknown).immediate as (...args: Parameters<F>) => ReturnType<F>;
}

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
  // Committed in the files' file before the migration that drops them from this one (see copyBodiesOut).
  if (pending.some((m) => m.version === FILES_BESIDE_MIGRATION)) copyBodiesOut(db);
  let running = pending[0]!;
  try {
    writeTransaction(db, () => {
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

/**
 * Files beside the database (docs/scaling.md): the ciphertext of every
 * staged upload and attachment lives in a second SQLite file, attached to the
 * same connection as `files`, keyed by the upload's random id. The main file
 * keeps ids, sizes, key ids and what a file belongs to; a backup of the
 * main file alone no longer carries gigabytes of files, nor does the purge
 * rewrite their pages in it.
 *
 * SQLite commits the two files one after the other, not atomically. So a
 * body is committed before the main file's row that names it (db/uploads.repo.ts
 * putBody), bodies of deleted rows are queued in the main file by a trigger
 * and deleted after that commit (drainDeletions), and a body nothing names —
 * the rest of a crash between the two commits — is deleted at start-up
 * (sweepUnnamed). Same pragmas as the main file: WAL, synchronous = FULL,
 * secure_delete.
 */
export const FILES_SCHEMA = 'files';
/** The migration that moves the bodies out of the main file (026-files-beside-the-database.sql). */
export const FILES_BESIDE_MIGRATION = 26;

/** `data/ombud.db` → `data/ombud-files.db`; any other name gets `-files` appended. */
export function filesPathFor(path: string): string {
  if (path === ':memory:' || path === '') return path;
  return path.endsWith('.db') ? `${path.slice(0, -3)}-files.db` : `${path}-files`;
}

/** Attaches the files' file of the database at `path` (creating it owner-only if needed) with the production pragmas. */
export function attachFiles(db: Db, path: string, options: { readonly?: boolean } = {}): void {
  const filesPath = filesPathFor(path);
  if (filesPath !== ':memory:' && filesPath !== '' && !options.readonly && !existsSync(filesPath)) {
    // Owner-only from the start, like the main file; SQLite gives its -wal and -shm the same mode.
    closeSync(openSync(filesPath, 'a', 0o600));
    chmodSync(filesPath, 0o600);
  }
  db.prepare(`ATTACH DATABASE ? AS ${FILES_SCHEMA}`).run(filesPath);
  if (options.readonly) return;
  db.pragma(`${FILES_SCHEMA}.journal_mode = WAL`);
  db.pragma(`${FILES_SCHEMA}.synchronous = FULL`);
  db.pragma(`${FILES_SCHEMA}.secure_delete = ON`);
  // Rows of up to 20 MiB each: a rowid table (not WITHOUT ROWID), whose leaves hold only the id and the
  // start of each body; the rest is in the body's own overflow pages, together.
  db.exec(`CREATE TABLE IF NOT EXISTS ${FILES_SCHEMA}.${FILES_TABLE}`);
}

/** The files' file's one table (with `CREATE TABLE [IF NOT EXISTS] [schema.]` before it). */
export const FILES_TABLE = 'bodies (id TEXT PRIMARY KEY, body BLOB NOT NULL)';

const hasColumn = (db: Db, table: string, column: string): boolean =>
  db.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = ?`).get(table, column) !== undefined;

const isAttached = (db: Db, schema: string): boolean =>
  (db.pragma('database_list') as Array<{ name: string }>).some((d) => d.name === schema);

/**
 * Before migration 026: copies the bodies of staged uploads and attachments
 * into the files' file and commits them there, so that the migration, which
 * drops them from the main file in a transaction of its own, can never leave
 * a file without its body (a crash in between leaves both copies, and the
 * next start copies again). A database without such tables or rows needs no
 * files' file.
 */
function copyBodiesOut(db: Db): void {
  const tables = ['attachments', 'staged_uploads'].filter((t) => hasColumn(db, t, 'body'));
  if (tables.length === 0) return;
  const rows = tables.reduce((n, t) => n + (db.prepare(`SELECT COUNT(*) AS n FROM main.${t}`).get() as { n: number }).n, 0);
  if (rows === 0) return;
  if (!isAttached(db, FILES_SCHEMA)) throw new Error('the files\' file is not attached: open the database with openDatabase to upgrade it');
  writeTransaction(db, () => {
    for (const t of tables) db.exec(`INSERT OR REPLACE INTO ${FILES_SCHEMA}.bodies (id, body) SELECT id, body FROM main.${t}`);
  })();
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
    attachFiles(db, path);
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
