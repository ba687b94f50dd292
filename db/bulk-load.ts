/**
 * For the benchmark's generator only (bench/grow.ts), never the server: while
 * a grown deployment is made, it has to exist, not to survive a power cut
 * half-way, and a cache that holds the growing indexes keeps random inserts
 * from re-reading them; and each file's staged copy, freed when it is attached,
 * need not be overwritten with zeros (secure_delete: nothing secret was ever
 * in a generated database). The connection's own pragmas are back before `work`'s
 * result is used, so nothing measured afterwards runs with these.
 */
import type { Db } from './database.ts';

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
