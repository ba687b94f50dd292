/**
 * The inbox index (migration 008): per team, the sealed team index key; per
 * case and team, one fixed-size AES-GCM entry. Only ciphertext is stored.
 */
import type { Db } from './database.ts';
import { toBlob, toBytes } from './columns.ts';

export interface TeamIndexKey {
  teamId: string;
  keyVersion: number;
  sealed: Uint8Array;
}

export interface IndexEntry {
  caseId: string;
  keyVersion: number;
  entry: Uint8Array;
}

export function createCaseIndexRepo(db: Db) {
  const findKey = db.prepare<[string], { team_id: string; key_version: number; sealed: Buffer }>(
    `SELECT team_id, key_version, sealed FROM team_index_keys WHERE team_id = ?`,
  );
  const insertKey = db.prepare(`INSERT INTO team_index_keys (team_id, key_version, sealed) VALUES (?, ?, ?) ON CONFLICT (team_id) DO NOTHING`);
  const updateKey = db.prepare(`UPDATE team_index_keys SET sealed = ? WHERE team_id = ? AND key_version = ?`);
  const upsertEntry = db.prepare(
    `INSERT INTO case_index_entries (case_id, team_id, key_version, entry) VALUES (?, ?, ?, ?)
     ON CONFLICT (case_id, team_id) DO UPDATE SET key_version = excluded.key_version, entry = excluded.entry`,
  );
  const notExcluded = `NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = e.case_id AND x.investigator_id = ?)`;
  const entriesFor = db.prepare<[string, string], { case_id: string; key_version: number; entry: Buffer }>(
    // The team's range of case_teams (migration 027), each case's entry found by its key.
    `SELECT e.case_id, e.key_version, e.entry FROM case_teams ct
     CROSS JOIN case_index_entries e ON e.case_id = ct.case_id AND e.team_id = ct.team_id
     WHERE ct.team_id = ? AND ${notExcluded}`,
  );

  return {
    keyOf(teamId: string): TeamIndexKey | undefined {
      const row = findKey.get(teamId);
      return row && { teamId: row.team_id, keyVersion: row.key_version, sealed: toBytes(row.sealed) };
    },
    /** Stores the team's first key; false if the team already has one (a colleague was quicker). */
    createKey(teamId: string, sealed: Uint8Array): boolean {
      return insertKey.run(teamId, 1, toBlob(sealed)).changes === 1;
    },
    /** Replaces the sealing of key `keyVersion` (same key, new recipients); false if that is not the current key. */
    resealKey(teamId: string, keyVersion: number, sealed: Uint8Array): boolean {
      return updateKey.run(toBlob(sealed), teamId, keyVersion).changes === 1;
    },
    putEntry(caseId: string, teamId: string, keyVersion: number, entry: Uint8Array): void {
      upsertEntry.run(caseId, teamId, keyVersion, toBlob(entry));
    },
    /** The team's entries, minus cases `investigatorId` is excluded from. */
    entriesFor(teamId: string, investigatorId: string): IndexEntry[] {
      return entriesFor.all(teamId, investigatorId).map((r) => ({ caseId: r.case_id, keyVersion: r.key_version, entry: toBytes(r.entry) }));
    },
  };
}

export type CaseIndexRepo = ReturnType<typeof createCaseIndexRepo>;
