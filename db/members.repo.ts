/**
 * What removal and recovery need beyond the investigators repository: ending
 * every session of one investigator at once, and finding the team a recovery
 * key belongs to by its fingerprint.
 */
import type { Db } from './database.ts';

export function createMembersRepo(db: Db) {
  const deleteSessions = db.prepare(`DELETE FROM sessions WHERE investigator_id = ?`);
  const teamByRecovery = db.prepare<[string], { id: string }>(`SELECT id FROM teams WHERE lower(recovery_fingerprint) = ?`);

  return {
    /** Ends every session of `investigatorId`; returns how many there were. */
    deleteSessionsOf(investigatorId: string): number {
      return deleteSessions.run(investigatorId).changes;
    },
    /** The id of the team whose recovery key has this fingerprint (40 hex digits, any case). */
    teamIdByRecoveryFingerprint(fingerprint: string): string | undefined {
      return teamByRecovery.get(fingerprint.toLowerCase())?.id;
    },
  };
}

export type MembersRepo = ReturnType<typeof createMembersRepo>;
