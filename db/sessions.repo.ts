/**
 * Investigator sessions. The cookie value never reaches the database: rows
 * are keyed by its sha256 (computed by the caller).
 */
import type { Db } from './database.ts';

export interface SessionRecord {
  idHash: string;
  investigatorId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

interface SessionRow {
  id_hash: string;
  investigator_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export function createSessionsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO sessions (id_hash, investigator_id, csrf_token, created_at, last_seen_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare<[string], SessionRow>(
    `SELECT id_hash, investigator_id, csrf_token, created_at, last_seen_at, expires_at
     FROM sessions WHERE id_hash = ?`,
  );
  const touch = db.prepare(`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`);
  const remove = db.prepare(`DELETE FROM sessions WHERE id_hash = ?`);
  const removeStale = db.prepare(`DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`);

  return {
    create(session: SessionRecord): void {
      insert.run(
        session.idHash,
        session.investigatorId,
        session.csrfToken,
        session.createdAt,
        session.lastSeenAt,
        session.expiresAt,
      );
    },
    find(idHash: string): SessionRecord | undefined {
      const row = byHash.get(idHash);
      return (
        row && {
          idHash: row.id_hash,
          investigatorId: row.investigator_id,
          csrfToken: row.csrf_token,
          createdAt: row.created_at,
          lastSeenAt: row.last_seen_at,
          expiresAt: row.expires_at,
        }
      );
    },
    touch(idHash: string, now: number): void {
      touch.run(now, idHash);
    },
    delete(idHash: string): void {
      remove.run(idHash);
    },
    /** Removes sessions past their absolute expiry or idle since `idleBefore`. */
    deleteStale(now: number, idleBefore: number): number {
      return removeStale.run(now, idleBefore).changes;
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
