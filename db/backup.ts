/**
 * Database-level operations for the operator's tool (server/cli/): a
 * consistent snapshot of a live database, and a look at a database file
 * without changing it (schema version, integrity, counts, WAL size).
 *
 * The snapshot uses SQLite's online backup from a second connection. The
 * server keeps writing meanwhile (WAL mode: the reader does not block it);
 * each file (the main file, then the files' file) is copied in one read
 * transaction, so its copy is that file as of one instant (`snapshotDatabase`
 * says why the two instants may differ). Each copy is switched to
 * `journal_mode = DELETE`, so it is one self-contained file.
 *
 * While that step writes, a thread of its own flushes the copy to disk every
 * tenth of a second: left to the kernel, gigabytes of the copy pile up in the
 * page cache and are written back at once, and the server's fsync of each
 * report waits behind them (a 26 GB snapshot held intake's p99 at 3.2 s;
 * docs/performance.md).
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { FILES_BESIDE_MIGRATION, FILES_SCHEMA, filesPathFor, schemaVersion, type Db } from './database.ts';

export interface SnapshotInfo {
  schemaVersion: number;
  pages: number;
  /** The files' file's copy (db/database.ts attachFiles) beside the copy, and its pages; undefined before schema 26. */
  files: { path: string; pages: number } | undefined;
}

/** How long a backup's mark holds back the deletion of files at most: a mark left by a backup that died is stale after it. */
export const BACKUP_MARK_MS = 24 * 60 * 60 * 1000;

const tableExists = (db: Database.Database, table: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;

/** One online backup of `source` into a new file at `destPath`, flushed as it is written (see startFlusher). */
async function copyOnline(source: Database.Database, destPath: string): Promise<number> {
  let flusher: Flusher | undefined;
  try {
    // After the first (small) step the copy exists; the flusher starts then, before the long step.
    const done = await source.backup(destPath, {
      progress: () => {
        flusher ??= startFlusher(destPath);
        return 0x7fffffff;
      },
    });
    return done.totalPages;
  } finally {
    await flusher?.stop();
  }
}

/** Makes a copy one self-contained file (no -wal) and checks it; `prepare` may change it first. */
function settleCopy(path: string, prepare?: (copy: Database.Database) => void): number {
  const copy = new Database(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    prepare?.(copy);
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the snapshot ${path} failed its integrity check: ${String(check)}`);
    return schemaVersion(copy);
  } finally {
    copy.close();
  }
}

/**
 * Copies the database at `sourcePath` (possibly in use by a running server) to a new file at `destPath`, and its
 * files' file (from schema 26) to `filesPathFor(destPath)`.
 *
 * The two are copied one after the other. New bodies are committed before the rows that name them, so the files'
 * copy, taken second, holds every body the main copy names, as long as none is deleted in between: a mark in the
 * main file, committed before its copy begins, holds back the server's deletion of bodies (db/uploads.repo.ts
 * drainDeletions) until it is removed after the second copy. The main copy's own mark is removed from it.
 *
 * Main file first, in a read transaction of its own (the copy's one step), so the server's log is held back only
 * while the main file is copied. Measured against the other ways (docs/performance.md, "Twenty-second run" and
 * "Twenty-third run"): the main file's instant held from the start and copied last, so that the main file would
 * be the one left in the kernel's cache, took 142–150 s alone on a 1,000,000-case database against 171 s for this
 * order, but 201–240 s in four runs with reports arriving, against 146–198 s in five of this order (188 s in both
 * runs since the server copies its log back on a thread of its own, db/checkpointer.ts). Copying both at once, on
 * two threads, took 252 s alone: the two copies and their checks fight over the cache. This order once held a
 * report 1.2 s (p99), most likely at its end, when the first commit after it copied back the whole log gathered
 * meanwhile; with the thread, its p99 was 247 and 330 ms.
 */
export async function snapshotDatabase(sourcePath: string, destPath: string): Promise<SnapshotInfo> {
  const filesSource = filesPathFor(sourcePath);
  const filesDest = filesPathFor(destPath);
  for (const path of [destPath, filesDest]) if (existsSync(path)) throw new Error(`${path} already exists`);
  const source = new Database(sourcePath, { fileMustExist: true });
  let mark: string | undefined;
  let pages = 0;
  let version = 0;
  let files: SnapshotInfo['files'];
  try {
    source.pragma('busy_timeout = 5000');
    const withFiles = schemaVersion(source) >= FILES_BESIDE_MIGRATION;
    if (withFiles && !existsSync(filesSource)) throw new Error(`the files' file ${filesSource} is missing`);
    if (withFiles && tableExists(source, 'backup_marks')) {
      mark = randomBytes(16).toString('hex');
      source.prepare(`INSERT INTO backup_marks (id, until) VALUES (?, ?)`).run(mark, Date.now() + BACKUP_MARK_MS);
    }
    pages = await copyOnline(source, destPath);
    // Each copy is checked right after it is written, while its pages are still in the kernel's cache: the two
    // copies of a grown deployment together (25 GB) do not fit in it, and a check after both read the first
    // from the disk again.
    version = settleCopy(destPath, (copy) => {
      if (tableExists(copy, 'backup_marks')) copy.prepare(`DELETE FROM backup_marks`).run();
    });
    if (withFiles) {
      const filesDb = new Database(filesSource, { fileMustExist: true });
      try {
        filesDb.pragma('busy_timeout = 5000');
        files = { path: filesDest, pages: await copyOnline(filesDb, filesDest) };
      } finally {
        filesDb.close();
      }
    }
  } finally {
    try {
      if (mark) source.prepare(`DELETE FROM backup_marks WHERE id = ?`).run(mark);
    } finally {
      source.close();
    }
  }
  if (files) settleCopy(files.path);
  return { schemaVersion: version, pages, files };
}

interface Flusher {
  stop(): Promise<void>;
}

const FLUSH_EVERY_MS = 100;

/** fdatasync of `path` every FLUSH_EVERY_MS on a thread of its own (the backup step holds the main one). */
function startFlusher(path: string): Flusher {
  const fd = openSync(path, 'r');
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const { fdatasyncSync } = require('node:fs');
     const stop = workerData.stop;
     while (Atomics.wait(stop, 0, 0, workerData.everyMs) === 'timed-out') fdatasyncSync(workerData.fd);`,
    { eval: true, workerData: { fd, stop, everyMs: FLUSH_EVERY_MS } },
  );
  // A flush that fails only leaves the writeback to the kernel again; the copy is still checked after (quick_check).
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      Atomics.store(stop, 0, 1);
      Atomics.notify(stop, 0);
      await exited;
      closeSync(fd);
    },
  };
}

export interface DatabaseInspection {
  schemaVersion: number;
  /** 'ok', or the first problems PRAGMA integrity_check names. */
  integrity: string;
  cases: number;
  closedCases: number;
  teams: number;
  investigators: number;
  legalHolds: number;
  auditEvents: number;
  databaseBytes: number;
  walBytes: number;
  /** The files' file (schema 26 and later): its bytes and its log's; 0 when there is none. */
  filesBytes: number;
  filesWalBytes: number;
}

const count = (db: Database.Database, table: string, where = ''): number => {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
  if (!exists) return 0;
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table} ${where}`).get() as { n: number }).n;
};

/**
 * Reads the database at `path` without migrating or writing it (it may be a
 * live server's). Throws if the file is missing or not a SQLite database.
 */
export function inspectDatabase(path: string): DatabaseInspection {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('integrity_check(5)') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    const filesPath = filesPathFor(path);
    if (schemaVersion(db) >= FILES_BESIDE_MIGRATION) {
      if (!existsSync(filesPath)) problems.push(`the files' file ${filesPath} is missing`);
      else problems.push(...filesProblems(db, filesPath));
    }
    const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
    const wal = `${path}-wal`;
    return {
      schemaVersion: schemaVersion(db),
      integrity: problems.length === 0 ? 'ok' : problems.join('; '),
      cases: count(db, 'cases'),
      closedCases: count(db, 'cases', `WHERE stage = 'closed'`),
      teams: count(db, 'teams'),
      investigators: count(db, 'investigators'),
      legalHolds: count(db, 'legal_holds'),
      auditEvents: count(db, 'audit_events'),
      databaseBytes: statSync(path).size,
      walBytes: size(wal),
      filesBytes: size(filesPath),
      filesWalBytes: size(`${filesPath}-wal`),
    };
  } finally {
    db.close();
  }
}

/** The files' file's integrity, and every staged upload or attachment of `db` whose body it lacks. */
function filesProblems(db: Database.Database, filesPath: string): string[] {
  db.prepare(`ATTACH DATABASE ? AS ${FILES_SCHEMA}`).run(filesPath);
  try {
    const rows = db.pragma(`${FILES_SCHEMA}.integrity_check(5)`) as { integrity_check: string }[];
    const problems = rows.map((r) => `files: ${r.integrity_check}`).filter((r) => r !== 'files: ok');
    if (!tableExists(db, 'attachments') || problems.length > 0) return problems;
    const hasBodies = db.prepare(`SELECT 1 FROM ${FILES_SCHEMA}.sqlite_master WHERE type = 'table' AND name = 'bodies'`).get() !== undefined;
    const missing = (table: string) => hasBodies
      ? (db.prepare(`SELECT COUNT(*) AS n FROM main.${table} t WHERE NOT EXISTS (SELECT 1 FROM ${FILES_SCHEMA}.bodies b WHERE b.id = t.id)`).get() as { n: number }).n
      : (db.prepare(`SELECT COUNT(*) AS n FROM main.${table}`).get() as { n: number }).n;
    for (const [table, what] of [['attachments', 'attachments'], ['staged_uploads', 'staged uploads']] as const) {
      const n = missing(table);
      if (n > 0) problems.push(`${n} ${what} have no body in the files' file`);
    }
    return problems;
  } finally {
    db.prepare(`DETACH DATABASE ${FILES_SCHEMA}`).run();
  }
}

/** `ombud.db.pre-upgrade-v012-to-v013-20261203T162600Z`: the automatic backup's name beside the database. */
export function upgradeBackupName(databaseFile: string, from: number, to: number, nowMs: number): string {
  const pad = (n: number) => String(n).padStart(3, '0');
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${databaseFile}.pre-upgrade-v${pad(from)}-to-v${pad(to)}-${stamp}`;
}

/**
 * The automatic backup before migrations: a plain, consistent copy of the
 * open database (`VACUUM INTO`, one read transaction) into a new file at
 * `destPath`, and of its files' file into `filesPathFor(destPath)` (nothing
 * else writes at start-up, so the two agree), each created owner-only
 * (0600), checked, and fsynced with their folder before the upgrade may
 * start. It is not encrypted: it lies in the
 * data folder beside the database, which holds the same data in the same
 * form. Synchronous, since it runs at start-up before the server listens.
 * On any failure (e.g. a full disk) the partial files are removed and the
 * error thrown; the database has not been touched.
 */
export function backupBeforeUpgrade(db: Db, destPath: string): void {
  const filesDest = filesPathFor(destPath);
  const made: string[] = [];
  try {
    const withFiles = (db.pragma('database_list') as Array<{ name: string; file: string }>).some((d) => d.name === FILES_SCHEMA && d.file !== '');
    for (const [schema, path] of withFiles ? [['main', destPath], [FILES_SCHEMA, filesDest]] : [['main', destPath]]) {
      closeSync(openSync(path!, 'wx', 0o600));
      made.push(path!);
      // The schema name is one of the two constants above, never input.
      db.prepare(`VACUUM ${schema} INTO ?`).run(path);
      chmodSync(path!, 0o600);
      const copy = new Database(path!, { fileMustExist: true, readonly: true });
      try {
        const check = copy.pragma('quick_check', { simple: true });
        if (check !== 'ok') throw new Error(`the backup failed its integrity check: ${String(check)}`);
        if (schema === 'main' && schemaVersion(copy) !== schemaVersion(db)) throw new Error('the backup does not have the database\'s schema version');
      } finally {
        copy.close();
      }
    }
    for (const path of [...made, dirname(destPath)]) {
      const fd = openSync(path, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    for (const path of made) rmSync(path, { force: true });
    throw new Error(`could not back up the database before upgrading it (${(error as Error).message}); nothing was changed`, { cause: error });
  }
}
