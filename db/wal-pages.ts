/**
 * Diagnostics of what a commit writes, for bench/intake-phases.ts: how many
 * pages the write-ahead log holds, and which table or index owns a page.
 * Not used by the server.
 */
import type { Db } from './database.ts';

/** The database's page size in bytes (a log frame is that plus a 24-byte header). */
export function pageSize(db: Db): number {
  return db.pragma('page_size', { simple: true }) as number;
}

/**
 * A PASSIVE checkpoint: copies the log back into the database and returns
 * how many frames it held. When every frame was copied (`checkpointed ===
 * log`), the next write starts the log afresh, so the following count is
 * that write's alone.
 */
export function checkpointLog(db: Db): { busy: number; log: number; checkpointed: number } {
  return (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>)[0]!;
}

/** Page number → 'name (kind of page)', from SQLite's dbstat table (compiled into better-sqlite3). */
export function pageOwners(db: Db): Map<number, string> {
  const rows = db.prepare<[], { pageno: number; name: string; pagetype: string }>(`SELECT pageno, name, pagetype FROM dbstat`).all();
  return new Map(rows.map((r) => [r.pageno, `${r.name} (${r.pagetype})`]));
}
