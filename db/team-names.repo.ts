/**
 * A team's name in each worker language, each signed by the administrator
 * who saved it (migration 018, docs/protocol.md "v2: team names in the
 * worker's language"). Stored and served as given: the report form checks
 * the signatures, not the server.
 */
import type { Db } from './database.ts';

export interface TeamName {
  lang: string;
  name: string;
  signature: string;
}

export function createTeamNamesRepo(db: Db) {
  const ofTeam = db.prepare<[string], TeamName>(`SELECT lang, name, signature FROM team_names WHERE team_id = ? ORDER BY lang`);
  const clear = db.prepare(`DELETE FROM team_names WHERE team_id = ?`);
  const insert = db.prepare(`INSERT INTO team_names (team_id, lang, name, signature, signed_by, day) VALUES (?, ?, ?, ?, ?, ?)`);
  return {
    ofTeam(teamId: string): TeamName[] {
      return ofTeam.all(teamId).map((row) => ({ lang: row.lang, name: row.name, signature: row.signature }));
    },
    /** Replaces every name of the team (call inside a transaction: a reader sees the old set or the new, never a mix). */
    replace(teamId: string, names: readonly TeamName[], signedBy: string, day: string): void {
      clear.run(teamId);
      for (const n of names) insert.run(teamId, n.lang, n.name, n.signature, signedBy, day);
    },
  };
}

export type TeamNamesRepo = ReturnType<typeof createTeamNamesRepo>;
