/**
 * Single-use invitation links to join a team. Only the sha256 of a token is
 * stored; a link is spent (used_at), revoked (revoked_at) or expires.
 */
import type { Db } from './database.ts';
import type { Role } from './investigators.repo.ts';

export interface InviteRecord {
  id: string;
  tokenHash: string;
  teamId: string;
  displayName: string;
  role: Role;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

interface InviteRow {
  id: string;
  token_hash: string;
  team_id: string;
  display_name: string;
  role: Role;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, token_hash, team_id, display_name, role, created_by, created_at, expires_at, used_at, revoked_at';

const toInvite = (row: InviteRow): InviteRecord => ({
  id: row.id,
  tokenHash: row.token_hash,
  teamId: row.team_id,
  displayName: row.display_name,
  role: row.role,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
  revokedAt: row.revoked_at,
});

export function createInvitesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO invites (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`);
  const byHash = db.prepare<[string], InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE token_hash = ?`);
  const pending = db.prepare<[string, number], InviteRow>(
    `SELECT ${COLUMNS} FROM invites
     WHERE team_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
     ORDER BY created_at, id`,
  );
  const markUsed = db.prepare(
    `UPDATE invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
  );
  const revoke = db.prepare(
    `UPDATE invites SET revoked_at = ? WHERE id = ? AND team_id = ? AND used_at IS NULL AND revoked_at IS NULL`,
  );

  return {
    create(invite: Omit<InviteRecord, 'usedAt' | 'revokedAt'>): void {
      insert.run(
        invite.id, invite.tokenHash, invite.teamId, invite.displayName, invite.role,
        invite.createdBy, invite.createdAt, invite.expiresAt,
      );
    },
    findByTokenHash(tokenHash: string): InviteRecord | undefined {
      const row = byHash.get(tokenHash);
      return row && toInvite(row);
    },
    /** Links of a team that can still be used at `now`, oldest first. */
    pendingOfTeam(teamId: string, now: number): InviteRecord[] {
      return pending.all(teamId, now).map(toInvite);
    },
    /** Compare-and-set: false if the link was used, revoked or expired meanwhile. */
    markUsed(tokenHash: string, now: number): boolean {
      return markUsed.run(now, tokenHash, now).changes === 1;
    },
    /** False if no pending link of that team has this id. */
    revoke(id: string, teamId: string, now: number): boolean {
      return revoke.run(now, id, teamId).changes === 1;
    },
  };
}

export type InvitesRepo = ReturnType<typeof createInvitesRepo>;
