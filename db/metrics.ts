/**
 * Counts for the metrics endpoint (server/metrics.ts): totals only, read in
 * one transaction. Nothing per case (no id, no day, no timing), no content.
 */
import { schemaVersion, type Db } from './database.ts';

export const CASE_STAGES = ['received', 'acknowledged', 'assessing', 'investigating', 'concluded', 'closed'] as const;

export interface MetricCounts {
  casesByStage: Record<(typeof CASE_STAGES)[number], number>;
  teams: number;
  investigators: number;
  channels: number;
  uploadsStaged: number;
  /** Sessions whose absolute limit has not passed (an idle one may still have ended). */
  sessions: number;
  schemaVersion: number;
}

export function metricCounts(db: Db, nowMs: number): MetricCounts {
  // Reads only: DEFERRED, so it takes no write lock (one snapshot for every count).
  return db.transaction(() => {
    const n = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
    const casesByStage = Object.fromEntries(CASE_STAGES.map((s) => [s, 0])) as MetricCounts['casesByStage'];
    for (const row of db.prepare('SELECT stage, COUNT(*) AS n FROM cases GROUP BY stage').all() as { stage: keyof typeof casesByStage; n: number }[]) {
      casesByStage[row.stage] = row.n;
    }
    return {
      casesByStage,
      teams: n('SELECT COUNT(*) AS n FROM teams'),
      investigators: n('SELECT COUNT(*) AS n FROM investigators WHERE disabled = 0'),
      channels: n('SELECT COUNT(*) AS n FROM channels'),
      uploadsStaged: n('SELECT COUNT(*) AS n FROM staged_uploads'),
      sessions: n('SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?', nowMs),
      schemaVersion: schemaVersion(db),
    };
  })();
}
