/**
 * The team's work on a case (migration 005): assignment, labels, the
 * retaliation-risk assessment and conflict-of-interest exclusions.
 *
 * Every workflow change is a compare-and-set on `cases.version`: it succeeds
 * only if nobody changed the case since the caller read `version`, and bumps
 * it. False means "someone else was faster" (the route answers 409).
 */
import { writeTransaction, type Db } from './database.ts';
import type { RiskLevel } from '../common/limits.ts';
import { toBlob, toBytes } from './columns.ts';

export interface RiskAssessment {
  level: RiskLevel;
  /** OpenPGP ciphertext, team only. */
  rationale: Uint8Array;
  day: string;
  byName: string | null;
}

export interface Exclusion {
  investigatorId: string;
  displayName: string;
  day: string;
}

interface RiskRow {
  risk_level: RiskLevel | null;
  risk_rationale: Buffer | null;
  risk_day: string | null;
  by_name: string | null;
}

export function createCaseWorkRepo(db: Db) {
  const assign = db.prepare(`UPDATE cases SET assignee_id = ?, version = version + 1 WHERE id = ? AND version = ?`);
  const labels = db.prepare(`UPDATE cases SET labels = ?, version = version + 1 WHERE id = ? AND version = ?`);
  const risk = db.prepare(
    `UPDATE cases SET risk_level = ?, risk_rationale = ?, risk_day = ?, risk_by = ?, version = version + 1
     WHERE id = ? AND version = ?`,
  );
  const riskOf = db.prepare<[string], RiskRow>(
    `SELECT c.risk_level, c.risk_rationale, c.risk_day, i.display_name AS by_name
     FROM cases c LEFT JOIN investigators i ON i.id = c.risk_by WHERE c.id = ?`,
  );
  const exclude = db.prepare(
    `INSERT INTO case_exclusions (case_id, investigator_id, day, excluded_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (case_id, investigator_id) DO NOTHING`,
  );
  // An excluded assignee is unassigned in the same change.
  const unassign = db.prepare(`UPDATE cases SET assignee_id = NULL, version = version + 1 WHERE id = ? AND assignee_id = ?`);
  const isExcluded = db.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM case_exclusions WHERE case_id = ? AND investigator_id = ?`,
  );
  const exclusions = db.prepare<[string], { investigator_id: string; display_name: string; day: string }>(
    `SELECT x.investigator_id, i.display_name, x.day FROM case_exclusions x
     JOIN investigators i ON i.id = x.investigator_id WHERE x.case_id = ? ORDER BY i.display_name`,
  );
  const excludeTx = writeTransaction(db, (caseId: string, investigatorId: string, day: string, by: string): boolean => {
    if (exclude.run(caseId, investigatorId, day, by).changes !== 1) return false;
    unassign.run(caseId, investigatorId);
    return true;
  });

  return {
    /** Compare-and-set on `version`; `investigatorId` null unassigns. */
    assign(caseId: string, investigatorId: string | null, version: number): boolean {
      return assign.run(investigatorId, caseId, version).changes === 1;
    },
    /** Compare-and-set on `version`. */
    setLabels(caseId: string, list: readonly string[], version: number): boolean {
      return labels.run(JSON.stringify(list), caseId, version).changes === 1;
    },
    /** Compare-and-set on `version`. */
    setRisk(caseId: string, change: { level: RiskLevel; rationale: Uint8Array; day: string; investigatorId: string }, version: number): boolean {
      return risk.run(change.level, toBlob(change.rationale), change.day, change.investigatorId, caseId, version).changes === 1;
    },
    risk(caseId: string): RiskAssessment | null {
      const row = riskOf.get(caseId);
      if (!row?.risk_level || !row.risk_rationale || !row.risk_day) return null;
      return { level: row.risk_level, rationale: toBytes(row.risk_rationale), day: row.risk_day, byName: row.by_name };
    },
    /** False if already excluded. Unassigns them if they were the assignee. */
    exclude(caseId: string, investigatorId: string, day: string, excludedBy: string): boolean {
      return excludeTx(caseId, investigatorId, day, excludedBy);
    },
    isExcluded(caseId: string, investigatorId: string): boolean {
      return (isExcluded.get(caseId, investigatorId)?.n ?? 0) > 0;
    },
    exclusions(caseId: string): Exclusion[] {
      return exclusions.all(caseId).map((r) => ({ investigatorId: r.investigator_id, displayName: r.display_name, day: r.day }));
    },
  };
}

export type CaseWorkRepo = ReturnType<typeof createCaseWorkRepo>;
