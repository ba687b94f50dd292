/**
 * Retention (migration 011): how long each team keeps its closed cases, the
 * legal holds that suspend deletion, and the deletion itself.
 *
 * `duePage(today, after, limit)` lists closed, unheld cases whose LONGEST
 * team retention has passed (a case sent to two teams stays as long as the
 * team that keeps cases longest wants it), a page at a time: it looks at no
 * more than `limit` closed cases after the cursor, in the order of the index
 * of closed cases (migration 023), so a page is bounded work at any size. `deleteCase` removes the case and every
 * row that holds anything of it, child tables first (the foreign keys
 * cascade as well, so a table added later cannot keep a leftover either;
 * all but `case_teams`, which has no case-first tree to cascade through,
 * migration 027).
 * With `secure_delete = ON` (database.ts) the freed pages are zeroed;
 * `checkpointTruncate` then copies the WAL into the database file and
 * truncates it, so no old page with the ciphertext lingers there.
 */
import type { Db } from './database.ts';
import { randomId } from './row-order.ts';
import { caseInTeam, TEAMS_OF_CASE_ROW } from './case-teams.ts';

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

/** Where a listing of due cases goes on: after this case, in (closed day, id) order. */
export interface DueCursor {
  closedDay: string;
  caseId: string;
}

export interface DuePage {
  /** The due cases among those looked at, oldest first (closed day, then id). */
  cases: PurgeCandidate[];
  /** Where the next page starts; undefined when this page was the last. */
  next: DueCursor | undefined;
}

export interface Checkpoint {
  /** false when a reader (e.g. a running server mid-query) kept the WAL from being emptied. */
  complete: boolean;
  walPages: number;
}

interface HoldRow { case_id: string; team_id: string; reason: string; set_day: string; set_by: string }

const toHold = (r: HoldRow): LegalHold => ({ caseId: r.case_id, teamId: r.team_id, reason: r.reason, setDay: r.set_day, setBy: r.set_by });

/** Tables holding a case's rows, children before parents, keyed by the case first; then its teams, then the case itself. */
const CASE_TABLES = [
  'attachments', 'messages', 'case_notes', 'stage_history', 'case_index_entries', 'case_exclusions', 'legal_holds',
] as const;

// One page: at most `limit` entries of the closed cases' index (migration 023) after the cursor, up to
// the newest closing day that any team's retention has passed (no case closed later can be due), each
// with its longest retention and whether it is held; `due` says which of them the purge takes. A case
// kept longer by its team, or held, is looked at and passed over. Parameters: today, cursor day,
// cursor id, today, limit.
export const DUE_PAGE_SQL = `
  SELECT id, closed_day, keep, held = 0 AND date(closed_day, '+' || keep || ' days') <= ? AS due FROM (
    SELECT c.id, c.closed_day,
      (SELECT MAX(ct_t.retention_days) FROM ${TEAMS_OF_CASE_ROW}) AS keep,
      EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = c.id) AS held
    FROM cases c
    WHERE c.stage = 'closed' AND c.closed_day IS NOT NULL AND (c.closed_day, c.id) > (?, ?)
      AND c.closed_day <= (SELECT date(?, '-' || MIN(retention_days) || ' days') FROM teams)
    ORDER BY c.closed_day, c.id LIMIT ?
  ) ORDER BY closed_day, id`;

export function createRetentionRepo(db: Db) {
  const getDays = db.prepare<[string], { retention_days: number }>(`SELECT retention_days FROM teams WHERE id = ?`);
  const setDays = db.prepare(`UPDATE teams SET retention_days = ? WHERE id = ?`);
  const keepDays = db.prepare<[string], { keep: number | null }>(
    `SELECT MAX(ct_t.retention_days) AS keep FROM cases c CROSS JOIN ${TEAMS_OF_CASE_ROW} WHERE c.id = ?`,
  );
  const holdOf = db.prepare<[string], HoldRow>(`SELECT case_id, team_id, reason, set_day, set_by FROM legal_holds WHERE case_id = ?`);
  const insertHold = db.prepare(
    `INSERT INTO legal_holds (case_id, team_id, reason, set_day, set_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (case_id) DO UPDATE SET team_id = excluded.team_id, reason = excluded.reason,
       set_day = excluded.set_day, set_by = excluded.set_by`,
  );
  const deleteHold = db.prepare(`DELETE FROM legal_holds WHERE case_id = ?`);
  const heldOfTeam = db.prepare<[string], { case_id: string }>(
    `SELECT h.case_id FROM legal_holds h WHERE ${caseInTeam('h.case_id')} ORDER BY h.case_id`,
  );
  const page = db.prepare<[string, string, string, string, number], { id: string; closed_day: string; keep: number | null; due: number }>(DUE_PAGE_SQL);
  const heldCount = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM legal_holds`);
  const deleteFrom = CASE_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE case_id = ?`));
  // The case's pairs, each found by its whole key (migration 027).
  const deleteTeams = db.prepare(
    `DELETE FROM case_teams WHERE (team_id, received_day, case_id) IN
       (SELECT ct_p.team_id, ct_p.received_day, ct_p.case_id FROM cases c CROSS JOIN ${TEAMS_OF_CASE_ROW} WHERE c.id = ?)`,
  );
  const deleteCase = db.prepare(`DELETE FROM cases WHERE id = ?`);
  // The trail outlives the case: a "received" event still implied by the row (migration 024) stays pending.
  const keepImplied = db.prepare(
    `INSERT INTO audit_pending (id, day, case_id, action, detail)
     SELECT ?, received_day, id, 'case.received', received_event FROM cases WHERE id = ? AND received_event IS NOT NULL`,
  );

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
    /**
     * Due cases (closed, unheld, past their longest team retention on `today`, a UTC day) among at most
     * `limit` closed cases after `after` (undefined: from the start), oldest first; `next` goes on from there.
     */
    duePage(today: string, after: DueCursor | undefined, limit: number): DuePage {
      const rows = page.all(today, after?.closedDay ?? '', after?.caseId ?? '', today, limit);
      const last = rows.at(-1);
      return {
        cases: rows.filter((r) => r.due === 1).map((r) => ({ caseId: r.id, closedDay: r.closed_day, keepDays: r.keep! })),
        next: last && rows.length === limit ? { closedDay: last.closed_day, caseId: last.id } : undefined,
      };
    },
    /** Deletes the case and everything of it; call inside a transaction together with its audit event. */
    deleteCase(caseId: string): boolean {
      keepImplied.run(randomId(), caseId);
      for (const statement of deleteFrom) statement.run(caseId);
      deleteTeams.run(caseId);
      return deleteCase.run(caseId).changes === 1;
    },
    /**
     * Copies the WAL into the database file and truncates it to zero bytes. A reader in another process
     * (a backup) keeps it from completing; by default SQLite then waits for it, up to the connection's
     * busy timeout (5 s, database.ts), holding the thread. `wait: false` gives up at once, incomplete:
     * the server's purge tries again between its steps.
     */
    checkpointTruncate(options: { wait?: boolean } = {}): Checkpoint {
      const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
      if (options.wait === false) db.pragma('busy_timeout = 0');
      try {
        const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
        return { complete: (row?.busy ?? 0) === 0, walPages: Math.max(row?.log ?? 0, 0) };
      } finally {
        // An integer read back from the connection itself: safe to inline.
        if (options.wait === false) db.pragma(`busy_timeout = ${busyTimeout}`);
      }
    },
  };
}

export type RetentionRepo = ReturnType<typeof createRetentionRepo>;
