/**
 * Retention (migration 011): how long each team keeps its closed cases, the
 * legal holds that suspend deletion, and the deletion itself.
 *
 * `dueForPurge(today)` lists closed, unheld cases whose LONGEST team
 * retention has passed: a case sent to two teams stays as long as the team
 * that keeps cases longest wants it. `deleteCase` removes the case and every
 * row that holds anything of it, child tables first (the foreign keys
 * cascade as well, so a table added later cannot keep a leftover either).
 * With `secure_delete = ON` (database.ts) the freed pages are zeroed;
 * `checkpointTruncate` then copies the WAL into the database file and
 * truncates it, so no old page with the ciphertext lingers there.
 */
import type { Db } from './database.ts';

export interface LegalHold {
  caseId: string;
  teamId: string;
  reason: string;
  setDay: string;
  setBy: string;
}

export interface PurgeCandidate {
  caseId: string;
  closedDay: string;
  /** The longest retention of the case's teams. */
  keepDays: number;
}

export interface Checkpoint {
  /** false when a reader (e.g. a running server mid-query) kept the WAL from being emptied. */
  complete: boolean;
  walPages: number;
}

interface HoldRow { case_id: string; team_id: string; reason: string; set_day: string; set_by: string }

const toHold = (r: HoldRow): LegalHold => ({ caseId: r.case_id, teamId: r.team_id, reason: r.reason, setDay: r.set_day, setBy: r.set_by });

/** Tables holding a case's rows, children before parents; the case itself last. */
const CASE_TABLES = [
  'attachments', 'messages', 'case_notes', 'stage_history', 'case_index_entries', 'case_exclusions', 'legal_holds',
  'case_teams',
] as const;

export function createRetentionRepo(db: Db) {
  const getDays = db.prepare<[string], { retention_days: number }>(`SELECT retention_days FROM teams WHERE id = ?`);
  const setDays = db.prepare(`UPDATE teams SET retention_days = ? WHERE id = ?`);
  const keepDays = db.prepare<[string], { keep: number | null }>(
    `SELECT MAX(t.retention_days) AS keep FROM case_teams ct JOIN teams t ON t.id = ct.team_id WHERE ct.case_id = ?`,
  );
  const holdOf = db.prepare<[string], HoldRow>(`SELECT case_id, team_id, reason, set_day, set_by FROM legal_holds WHERE case_id = ?`);
  const insertHold = db.prepare(
    `INSERT INTO legal_holds (case_id, team_id, reason, set_day, set_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (case_id) DO UPDATE SET team_id = excluded.team_id, reason = excluded.reason,
       set_day = excluded.set_day, set_by = excluded.set_by`,
  );
  const deleteHold = db.prepare(`DELETE FROM legal_holds WHERE case_id = ?`);
  const heldOfTeam = db.prepare<[string], { case_id: string }>(
    `SELECT h.case_id FROM legal_holds h JOIN case_teams ct ON ct.case_id = h.case_id WHERE ct.team_id = ? ORDER BY h.case_id`,
  );
  const due = db.prepare<[string], { id: string; closed_day: string; keep: number }>(
    `SELECT c.id, c.closed_day, MAX(t.retention_days) AS keep
     FROM cases c JOIN case_teams ct ON ct.case_id = c.id JOIN teams t ON t.id = ct.team_id
     WHERE c.stage = 'closed' AND c.closed_day IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = c.id)
     GROUP BY c.id
     HAVING date(c.closed_day, '+' || MAX(t.retention_days) || ' days') <= ?
     ORDER BY c.closed_day, c.id`,
  );
  const heldCount = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM legal_holds`);
  const deleteFrom = CASE_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE case_id = ?`));
  const deleteCase = db.prepare(`DELETE FROM cases WHERE id = ?`);

  return {
    retentionDays(teamId: string): number | undefined {
      return getDays.get(teamId)?.retention_days;
    },
    setRetentionDays(teamId: string, days: number): void {
      setDays.run(days, teamId);
    },
    /** The longest retention among the case's teams (undefined: no such case). */
    keepDaysOf(caseId: string): number | undefined {
      return keepDays.get(caseId)?.keep ?? undefined;
    },
    holdOf(caseId: string): LegalHold | undefined {
      const row = holdOf.get(caseId);
      return row && toHold(row);
    },
    setHold(hold: LegalHold): void {
      insertHold.run(hold.caseId, hold.teamId, hold.reason, hold.setDay, hold.setBy);
    },
    /** True when there was a hold to lift. */
    liftHold(caseId: string): boolean {
      return deleteHold.run(caseId).changes === 1;
    },
    /** Ids of the team's cases that are on hold (for the inbox). */
    heldCaseIds(teamId: string): string[] {
      return heldOfTeam.all(teamId).map((r) => r.case_id);
    },
    heldCount(): number {
      return heldCount.get()?.n ?? 0;
    },
    /** Closed, unheld cases whose longest team retention ends on or before `today` (a UTC day). */
    dueForPurge(today: string): PurgeCandidate[] {
      return due.all(today).map((r) => ({ caseId: r.id, closedDay: r.closed_day, keepDays: r.keep }));
    },
    /** Deletes the case and everything of it; call inside a transaction together with its audit event. */
    deleteCase(caseId: string): boolean {
      for (const statement of deleteFrom) statement.run(caseId);
      return deleteCase.run(caseId).changes === 1;
    },
    /** Copies the WAL into the database file and truncates it to zero bytes. */
    checkpointTruncate(): Checkpoint {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      return { complete: (row?.busy ?? 0) === 0, walPages: Math.max(row?.log ?? 0, 0) };
    },
  };
}

export type RetentionRepo = ReturnType<typeof createRetentionRepo>;
