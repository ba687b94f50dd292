/**
 * Single-use links to found a new team (migration 012): a deployment
 * administrator names the team and its first administrator; the founder's
 * browser does the rest. Only the sha256 of a token is stored; a link is
 * spent (used_at, with the team it made), revoked (revoked_at) or expires.
 */
import type { Db } from './database.ts';

export interface FoundingRecord {
  id: string;
  tokenHash: string;
  teamName: string;
  founderName: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
  teamId: string | null;
}

interface FoundingRow {
  id: string;
  token_hash: string;
  team_name: string;
  founder_name: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  team_id: string | null;
}

const COLUMNS = 'id, token_hash, team_name, founder_name, created_by, created_at, expires_at, used_at, revoked_at, team_id';

const toFounding = (row: FoundingRow): FoundingRecord => ({
  id: row.id,
  tokenHash: row.token_hash,
  teamName: row.team_name,
  founderName: row.founder_name,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
  revokedAt: row.revoked_at,
  teamId: row.team_id,
});

export function createFoundingsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO team_foundings (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`);
  const byHash = db.prepare<[string], FoundingRow>(`SELECT ${COLUMNS} FROM team_foundings WHERE token_hash = ?`);
  const pending = db.prepare<[number], FoundingRow>(
    `SELECT ${COLUMNS} FROM team_foundings
     WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
     ORDER BY created_at, id`,
  );
  const markUsed = db.prepare(
    `UPDATE team_foundings SET used_at = ?, team_id = ?
     WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
  );
  const revoke = db.prepare(`UPDATE team_foundings SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL`);

  return {
    create(founding: Omit<FoundingRecord, 'usedAt' | 'revokedAt' | 'teamId'>): void {
      insert.run(
        founding.id, founding.tokenHash, founding.teamName, founding.founderName,
        founding.createdBy, founding.createdAt, founding.expiresAt,
      );
    },
    findByTokenHash(tokenHash: string): FoundingRecord | undefined {
      const row = byHash.get(tokenHash);
      return row && toFounding(row);
    },
    /** Links that can still be used at `now`, oldest first. */
    pending(now: number): FoundingRecord[] {
      return pending.all(now).map(toFounding);
    },
    /** Compare-and-set: false if the link was used, revoked or expired meanwhile. */
    markUsed(tokenHash: string, teamId: string, now: number): boolean {
      return markUsed.run(now, teamId, tokenHash, now).changes === 1;
    },
    revoke(id: string, now: number): boolean {
      return revoke.run(now, id).changes === 1;
    },
  };
}

export type FoundingsRepo = ReturnType<typeof createFoundingsRepo>;
