/**
 * Cases: the encrypted report, the reporter's public key and wrapped private
 * key, keyed hashes of the token-derived credentials, the teams it was sent
 * to, and its workflow (stage, deadlines, history). Dates are days.
 * Lists per team are in case-lists.repo.ts.
 */
import { writeTransaction, type Db } from './database.ts';
import type { Outcome, Stage } from '../common/limits.ts';
import { encodeKeyIds, toBlob } from './columns.ts';
import { NEXT_SEQ_IN_CASE, dayOrderedRowid, randomRowid } from './row-order.ts';
import { SECRET_COLUMNS, toRecord, WORKFLOW_COLUMNS, type CaseRecord, type Row } from './case-rows.ts';
import { TEAMS_OF_CASE_ROW } from './case-teams.ts';

export type { CaseRecord, CaseWorkflow } from './case-rows.ts';

export interface StageEntry {
  stage: Stage;
  day: string;
  reason: string | null;
  /** Display name of the investigator, or null for the reporter / system. */
  byName: string | null;
}

/** What the reporter's follow-up set in the clear (migration 003). */
export interface ReporterFollowUp {
  /** First day retaliation was reported; null if never. */
  urgentDay: string | null;
  satisfactionGiven: boolean;
}

export interface StageChange {
  caseId: string;
  from: Stage;
  to: Stage;
  day: string;
  reason: string | null;
  investigatorId: string;
  acknowledgedDay: string | null;
  closedDay: string | null;
  /** Set when closing (migration 005); kept otherwise. */
  outcome?: Outcome | null;
}

export function createCasesRepo(db: Db) {
  // Stored in the order of the received day, at random within it (db/row-order.ts dayOrderedRowid).
  const insertCase = db.prepare(
    `INSERT INTO cases (rowid, id, channel_slug, stage, received_day, acknowledge_by_day, feedback_months,
       acknowledged_day, closed_day, last_activity_day, lookup_hash, verifier_hash,
       reporter_public_key, reporter_key_ids, wrapped_reporter_key, report, status_binding, first_stage_implied, received_event)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // One tree keyed by (team, received day, random case id) (migrations 020, 022, 027): no rowid to draw,
  // one page a report.
  const insertTeam = db.prepare(`INSERT INTO case_teams (case_id, team_id, received_day) VALUES (?, ?, ?)`);
  const insertHistory = db.prepare(
    `INSERT INTO stage_history (seq, case_id, stage, day, reason, investigator_id)
     VALUES (${NEXT_SEQ_IN_CASE('stage_history')}, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string], Row>(`SELECT ${WORKFLOW_COLUMNS}, ${SECRET_COLUMNS} FROM cases c WHERE c.id = ?`);
  const byLookup = db.prepare<[string], Row>(`SELECT ${WORKFLOW_COLUMNS}, ${SECRET_COLUMNS} FROM cases c WHERE c.lookup_hash = ?`);
  const idTaken = db.prepare<[string], { n: number }>(`SELECT 1 AS n FROM cases WHERE id = ?`);
  const lookupTaken = db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM cases WHERE lookup_hash = ?`);
  const teamsOf = db.prepare<[string], { team_id: string }>(
    `SELECT ct_t.id AS team_id FROM cases c CROSS JOIN ${TEAMS_OF_CASE_ROW} WHERE c.id = ? ORDER BY ct_t.id`,
  );
  const casStage = db.prepare(
    `UPDATE cases SET stage = ?, acknowledged_day = ?, closed_day = ?, last_activity_day = ?,
       outcome = COALESCE(?, outcome), version = version + 1
     WHERE id = ? AND stage = ?`,
  );
  const touch = db.prepare(`UPDATE cases SET last_activity_day = ? WHERE id = ?`);
  // Protocol v2 (migration 013): an old case is bound once, on its first visit; a binding is never replaced.
  const bindOnce = db.prepare(
    `UPDATE cases SET status_binding = ?, wrapped_reporter_key = ? WHERE id = ? AND status_binding IS NULL`,
  );
  // Reporter follow-up flags (migration 003): kept apart from CaseRecord, which is what intake writes.
  const markUrgent = db.prepare(`UPDATE cases SET urgent_day = COALESCE(urgent_day, ?) WHERE id = ?`);
  const giveSatisfaction = db.prepare(
    `UPDATE cases SET satisfaction_given = 1 WHERE id = ? AND stage = 'closed' AND satisfaction_given = 0`,
  );
  const followUp = db.prepare<[string], { urgent_day: string | null; satisfaction_given: number }>(
    `SELECT urgent_day, satisfaction_given FROM cases WHERE id = ?`,
  );
  // A case received at intake has no history row for that first stage (migration 021): its row implies
  // ('received', received_day, no reason, nobody), put before the rows. Parameters: the case id, twice.
  const history = db.prepare<[string, string], Row>(
    `SELECT stage, day, reason, by_name FROM (
       SELECT 'received' AS stage, received_day AS day, NULL AS reason, NULL AS by_name, 0 AS part, 0 AS seq
       FROM cases WHERE id = ? AND first_stage_implied = 1
       UNION ALL
       SELECT h.stage, h.day, h.reason, i.display_name, 1, h.seq
       FROM stage_history h LEFT JOIN investigators i ON i.id = h.investigator_id
       WHERE h.case_id = ?
     ) ORDER BY part, seq`,
  );

  const create = writeTransaction(db, (c: CaseRecord, teamIds: readonly string[], receivedEvent: string | undefined) => {
    const firstStageImplied = c.stage === 'received';
    insertCase.run(
      dayOrderedRowid(c.receivedDay), c.id, c.channelSlug, c.stage, c.receivedDay, c.acknowledgeByDay, c.feedbackMonths,
      c.acknowledgedDay, c.closedDay, c.lastActivityDay, c.lookupHash, c.verifierHash,
      c.reporterPublicKey, encodeKeyIds(c.reporterKeyIds), c.wrappedReporterKey, toBlob(c.report), c.statusBinding ?? null,
      firstStageImplied ? 1 : 0, receivedEvent ?? null,
    );
    for (const teamId of teamIds) insertTeam.run(c.id, teamId, c.receivedDay);
    // Two pages fewer per report: the usual first entry is implied by the case row (migration 021).
    if (!firstStageImplied) insertHistory.run(c.id, randomRowid(), c.id, c.stage, c.receivedDay, null, null);
  });

  const changeStage = writeTransaction(db, (ch: StageChange): boolean => {
    const done = casStage.run(ch.to, ch.acknowledgedDay, ch.closedDay, ch.day, ch.outcome ?? null, ch.caseId, ch.from);
    if (done.changes !== 1) return false;
    insertHistory.run(ch.caseId, randomRowid(), ch.caseId, ch.to, ch.day, ch.reason, ch.investigatorId);
    return true;
  });

  return {
    /**
     * Stores the binding of a case made before protocol v2, with its key
     * wrapped anew for v2; false (nothing written) when it is bound already.
     */
    bindStatus(caseId: string, binding: string, wrappedReporterKey: string): boolean {
      return bindOnce.run(binding, wrappedReporterKey, caseId).changes === 1;
    },
    /**
     * Inserts the case, its teams and its first history entry, atomically. `receivedEvent`: the detail of
     * its "received" audit event, implied by the row until the daily batch (db/audit.repo.ts `receivedEvent`).
     */
    create(record: CaseRecord, teamIds: readonly string[], receivedEvent?: string): void {
      create(record, teamIds, receivedEvent);
    },
    find(id: string): CaseRecord | undefined {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    findByLookupHash(lookupHash: string): CaseRecord | undefined {
      const row = byLookup.get(lookupHash);
      return row && toRecord(row);
    },
    /** Whether a case has this id (its unique index only, no row read). */
    idTaken(id: string): boolean {
      return idTaken.get(id) !== undefined;
    },
    lookupHashTaken(lookupHash: string): boolean {
      return (lookupTaken.get(lookupHash)?.n ?? 0) > 0;
    },
    teamIdsOf(caseId: string): string[] {
      return teamsOf.all(caseId).map((r) => r.team_id);
    },
    /** Compare-and-set: false when the stage is no longer `from`. */
    changeStage(change: StageChange): boolean {
      return changeStage(change);
    },
    touch(caseId: string, day: string): void {
      touch.run(day, caseId);
    },
    /** Marks the case urgent (retaliation reported); the first day is kept. */
    markUrgent(caseId: string, day: string): void {
      markUrgent.run(day, caseId);
    },
    /** Compare-and-set: true only for the first answer, and only once the case is closed. */
    recordSatisfaction(caseId: string): boolean {
      return giveSatisfaction.run(caseId).changes === 1;
    },
    followUp(caseId: string): ReporterFollowUp {
      const row = followUp.get(caseId);
      return { urgentDay: row?.urgent_day ?? null, satisfactionGiven: row?.satisfaction_given === 1 };
    },
    history(caseId: string): StageEntry[] {
      return history.all(caseId, caseId).map((r) => ({
        stage: r.stage as Stage,
        day: r.day as string,
        reason: (r.reason as string | null) ?? null,
        byName: (r.by_name as string | null) ?? null,
      }));
    },
  };
}

export type CasesRepo = ReturnType<typeof createCasesRepo>;
