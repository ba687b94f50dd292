/**
 * Single-use links that let the first administrator set the deployment up.
 * Only the sha256 of a token is stored.
 */
import type { Db } from './database.ts';

export interface SetupTokenRecord {
  tokenHash: string;
  expiresAt: number;
  usedAt: number | null;
}

interface SetupTokenRow {
  token_hash: string;
  expires_at: number;
  used_at: number | null;
}

export function createSetupRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO setup_tokens (token_hash, expires_at, used_at) VALUES (?, ?, NULL)`);
  const byHash = db.prepare<[string], SetupTokenRow>(
    `SELECT token_hash, expires_at, used_at FROM setup_tokens WHERE token_hash = ?`,
  );
  const markUsed = db.prepare(`UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`);
  const removeUnused = db.prepare(`DELETE FROM setup_tokens WHERE used_at IS NULL`);

  return {
    create(tokenHash: string, expiresAt: number): void {
      insert.run(tokenHash, expiresAt);
    },
    find(tokenHash: string): SetupTokenRecord | undefined {
      const row = byHash.get(tokenHash);
      return row && { tokenHash: row.token_hash, expiresAt: row.expires_at, usedAt: row.used_at };
    },
    /** Compare-and-set: false if the token was already used (or never existed). */
    markUsed(tokenHash: string, now: number): boolean {
      return markUsed.run(now, tokenHash).changes === 1;
    },
    /** Revokes every link not yet used, before a new one is issued. */
    revokeUnused(): number {
      return removeUnused.run().changes;
    },
  };
}

export type SetupRepo = ReturnType<typeof createSetupRepo>;
