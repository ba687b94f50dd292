/**
 * What removal and recovery need beyond the investigators repository: ending
 * every session of one investigator at once, dropping a removed one's wrapped
 * key, and finding the team a recovery key belongs to by its fingerprint.
 */
import type { Db } from './database.ts';

export function createMembersRepo(db: Db) {
  const deleteSessions = db.prepare(`DELETE FROM sessions WHERE investigator_id = ?`);
  const forgetKey = db.prepare(`UPDATE investigators SET wrapped_private_key = '' WHERE id = ? AND disabled = 1`);
  const teamByRecovery = db.prepare<[string], { id: string }>(`SELECT id FROM teams WHERE lower(recovery_fingerprint) = ?`);

  return {
    /** Ends every session of `investigatorId`; returns how many there were. */
    deleteSessionsOf(investigatorId: string): number {
      return deleteSessions.run(investigatorId).changes;
    },
    /**
     * Drops the password-wrapped private key of a removed investigator, so a
     * later copy of the database no longer holds it (secure_delete overwrites
     * the old bytes). Only for a disabled account; false otherwise.
     */
    forgetWrappedKey(investigatorId: string): boolean {
      return forgetKey.run(investigatorId).changes === 1;
    },
    /** The id of the team whose recovery key has this fingerprint (40 hex digits, any case). */
    teamIdByRecoveryFingerprint(fingerprint: string): string | undefined {
      return teamByRecovery.get(fingerprint.toLowerCase())?.id;
    },
  };
}

export type MembersRepo = ReturnType<typeof createMembersRepo>;
