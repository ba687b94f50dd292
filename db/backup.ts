/**
 * Database-level operations for the operator's tool (server/cli/): a
 * consistent snapshot of a live database, and a look at a database file
 * without changing it (schema version, integrity, counts, WAL size).
 *
 * The snapshot uses SQLite's online backup from a second connection. The
 * server keeps writing meanwhile (WAL mode: the reader does not block it);
 * after one small first step the rest is copied in a single step, i.e. in one
 * read transaction, so the copy is the database as of one instant. The copy
 * is switched to `journal_mode = DELETE`, so it is one self-contained file.
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
import { schemaVersion, type Db } from './database.ts';

export interface SnapshotInfo {
  schemaVersion: number;
  pages: number;
}

/** Copies the database at `sourcePath` (possibly in use by a running server) to a new file at `destPath`. */
export async function snapshotDatabase(sourcePath: string, destPath: string): Promise<SnapshotInfo> {
  if (existsSync(destPath)) throw new Error(`${destPath} already exists`);
  const source = new Database(sourcePath, { fileMustExist: true });
  let pages = 0;
  let flusher: Flusher | undefined;
  try {
    source.pragma('busy_timeout = 5000');
    // After the first (small) step the copy exists; the flusher starts then, before the long step.
    const done = await source.backup(destPath, {
      progress: () => {
        flusher ??= startFlusher(destPath);
        return 0x7fffffff;
      },
    });
    pages = done.totalPages;
  } finally {
    source.close();
    await flusher?.stop();
  }
  const copy = new Database(destPath, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the snapshot failed its integrity check: ${String(check)}`);
    return { schemaVersion: schemaVersion(copy), pages };
  } finally {
    copy.close();
  }
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
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    const wal = `${path}-wal`;
    return {
      schemaVersion: schemaVersion(db),
      integrity,
      cases: count(db, 'cases'),
      closedCases: count(db, 'cases', `WHERE stage = 'closed'`),
      teams: count(db, 'teams'),
      investigators: count(db, 'investigators'),
      legalHolds: count(db, 'legal_holds'),
      auditEvents: count(db, 'audit_events'),
      databaseBytes: statSync(path).size,
      walBytes: existsSync(wal) ? statSync(wal).size : 0,
    };
  } finally {
    db.close();
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
 * `destPath`, created owner-only (0600), checked, and fsynced with its
 * folder before the upgrade may start. It is not encrypted: it lies in the
 * data folder beside the database, which holds the same data in the same
 * form. Synchronous, since it runs at start-up before the server listens.
 * On any failure (e.g. a full disk) the partial file is removed and the
 * error thrown; the database has not been touched.
 */
export function backupBeforeUpgrade(db: Db, destPath: string): void {
  closeSync(openSync(destPath, 'wx', 0o600));
  try {
    db.prepare('VACUUM INTO ?').run(destPath);
    chmodSync(destPath, 0o600);
    const copy = new Database(destPath, { fileMustExist: true, readonly: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the backup failed its integrity check: ${String(check)}`);
      if (schemaVersion(copy) !== schemaVersion(db)) throw new Error('the backup does not have the database\'s schema version');
    } finally {
      copy.close();
    }
    for (const path of [destPath, dirname(destPath)]) {
      const fd = openSync(path, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    rmSync(destPath, { force: true });
    throw new Error(`could not back up the database before upgrading it (${(error as Error).message}); nothing was changed`, { cause: error });
  }
}
