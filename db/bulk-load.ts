/**
 * For the benchmark's generator only (bench/grow.ts), never the server: while
 * a grown deployment is made, it has to exist, not to survive a power cut
 * half-way, and a cache that holds the growing indexes keeps random inserts
 * from re-reading them. The connection's own pragmas are back before `work`'s
 * result is used, so nothing measured afterwards runs with these.
 */
import type { Db } from './database.ts';

export function bulkLoad<T>(db: Db | undefined, work: () => T): T {
  if (!db) return work();
  const before = {
    synchronous: db.pragma('synchronous', { simple: true }) as number,
    cacheSize: db.pragma('cache_size', { simple: true }) as number,
    journal: db.pragma('journal_mode', { simple: true }) as string,
  };
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  db.pragma('journal_mode = OFF');
  try {
    return work();
  } finally {
    db.pragma(`journal_mode = ${before.journal}`);
    db.pragma(`cache_size = ${before.cacheSize}`);
    db.pragma(`synchronous = ${before.synchronous}`);
  }
}
