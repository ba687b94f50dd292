/**
 * For the benchmark's generator only (bench/grow.ts), never the server: while
 * a grown deployment is made, it has to exist, not to survive a power cut
 * half-way, and a cache that holds the growing indexes keeps random inserts
 * from re-reading them; and each file's staged copy, freed when it is attached,
 * need not be overwritten with zeros (secure_delete: nothing secret was ever
 * in a generated database). The connection's own pragmas are back before `work`'s
 * result is used, so nothing measured afterwards runs with these.
 */
import { closeSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { FILES_TABLE, type Db } from './database.ts';

/**
 * The generator's page cache, in KiB (2 GiB): it holds the indexes of 1,000,000 cases (about 700 MB,
 * most of them on random keys, so every case inserts into pages all over them), so that those pages are
 * written once rather than re-read and re-written as the generation goes (docs/performance.md,
 * "Seventeenth run").
 */
export const BULK_CACHE_KIB = 2 * 1024 * 1024;

export function bulkLoad<T>(db: Db | undefined, work: () => T): T {
  if (!db) return work();
  const before = {
    synchronous: db.pragma('synchronous', { simple: true }) as number,
    cacheSize: db.pragma('cache_size', { simple: true }) as number,
    journal: db.pragma('journal_mode', { simple: true }) as string,
    secureDelete: db.pragma('secure_delete', { simple: true }) as number,
  };
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  // SQLite leaves WAL only for a rollback journal, and better-sqlite3's defensive mode refuses OFF;
  // both refusals are silent (the pragma answers the old mode), so the test reads the mode back.
  if (before.journal === 'wal') db.pragma('journal_mode = DELETE');
  db.unsafeMode(true);
  db.pragma('journal_mode = OFF');
  db.pragma('secure_delete = OFF');
  try {
    return work();
  } finally {
    db.pragma(`secure_delete = ${before.secureDelete}`);
    db.pragma(`journal_mode = ${before.journal}`);
    db.unsafeMode(false);
    db.pragma(`cache_size = ${before.cacheSize}`);
    db.pragma(`synchronous = ${before.synchronous}`);
  }
}

/**
 * Writes the files' bodies of a generated deployment into a new files' file at `path` (db/database.ts
 * attachFiles), on a thread of its own, so that they are written on the other core while the cases are
 * generated: `files` says each body's id and which of `blobs` it is. No journal and no syncs, as above; the
 * file is left in WAL mode, as the server's connection sets it.
 */
export function writeBodiesInBulk(path: string, files: Array<{ id: string; blob: number }>, blobs: Uint8Array[]): Promise<void> {
  // Owner-only, as db/database.ts attachFiles makes it; and it must not exist yet.
  closeSync(openSync(path, 'wx', 0o600));
  const worker = new Worker(
    `const { workerData: w } = require('node:worker_threads');
     const Database = require('better-sqlite3');
     const db = new Database(w.path);
     db.pragma('journal_mode = OFF');
     db.pragma('synchronous = OFF');
     db.exec('CREATE TABLE ' + w.table);
     const insert = db.prepare('INSERT INTO bodies (id, body) VALUES (?, ?)');
     db.transaction(() => { for (const f of w.files) insert.run(f.id, w.blobs[f.blob]); })();
     db.pragma('journal_mode = WAL');
     db.close();`,
    { eval: true, workerData: { path, table: FILES_TABLE, files, blobs: blobs.map((b) => Buffer.from(b)) } },
  );
  return new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the files' writer exited with ${code}`))));
  });
}
