/**
 * Cases as one team sees them: only cases sent to that team, with the
 * channel's name and whether the reporter is waiting for an answer.
 */
import type { Db } from './database.ts';
import type { Outcome, RiskLevel } from '../common/limits.ts';
import { toWorkflow, WORKFLOW_COLUMNS, type CaseWorkflow, type Row } from './case-rows.ts';

export interface TeamCaseListing extends CaseWorkflow {
  teamId: string;
  channelName: string;
  /** The last message in the thread is the reporter's. */
  awaitingReply: boolean;
  /** First day the reporter reported retaliation (migration 003); null if never. */
  urgentDay: string | null;
  /** The team's work on the case, in the clear (migration 005). */
  version: number;
  assigneeId: string | null;
  assigneeName: string | null;
  labels: string[];
  riskLevel: RiskLevel | null;
  outcome: Outcome | null;
}

const toListing = (r: Row): TeamCaseListing => ({
  ...toWorkflow(r),
  teamId: r.team_id as string,
  channelName: r.channel_name as string,
  awaitingReply: r.awaiting_reply === 1,
  urgentDay: (r.urgent_day as string | null) ?? null,
  version: r.version as number,
  assigneeId: (r.assignee_id as string | null) ?? null,
  assigneeName: (r.assignee_name as string | null) ?? null,
  labels: JSON.parse(r.labels as string) as string[],
  riskLevel: (r.risk_level as RiskLevel | null) ?? null,
  outcome: (r.outcome as Outcome | null) ?? null,
});

export function createCaseListsRepo(db: Db) {
  const columns = `${WORKFLOW_COLUMNS}, ct.team_id, ch.name AS channel_name, c.urgent_day,
      c.version, c.assignee_id, a.display_name AS assignee_name, c.labels, c.risk_level, c.outcome,
      CASE WHEN (SELECT m.author FROM messages m WHERE m.case_id = c.id ORDER BY m.seq DESC LIMIT 1) = 'reporter'
           THEN 1 ELSE 0 END AS awaiting_reply`;
  const joined = `JOIN channels ch ON ch.slug = c.channel_slug
    LEFT JOIN investigators a ON a.id = c.assignee_id`;
  // A team's cases are its range of case_teams (migration 027), read in the key's order (received day, then
  // the random case id); each case's row found by its id. CROSS JOIN keeps the team's range outermost.
  const listing = `SELECT ${columns} FROM case_teams ct CROSS JOIN cases c ON c.id = ct.case_id ${joined}`;
  const listForTeam = db.prepare<[string], Row>(`${listing} WHERE ct.team_id = ? ORDER BY c.received_day DESC, c.id`);
  const notExcluded = `NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = ct.case_id AND x.investigator_id = ?)`;
  const listForInvestigator = db.prepare<[string, string], Row>(
    `${listing} WHERE ct.team_id = ? AND ${notExcluded} ORDER BY c.received_day DESC, c.id`,
  );
  // The inbox's first answer (migration 022), each bounded by `limit` whatever the team's size: its newest
  // cases, read backwards from the end of the team's range…
  const newestForInvestigator = db.prepare<[string, string, number], Row>(
    `${listing} WHERE ct.team_id = ? AND ${notExcluded} ORDER BY ct.received_day DESC, ct.case_id DESC LIMIT ?`,
  );
  // …and its urgent ones, which the inbox lists first: few in the whole deployment (partial index cases_urgent),
  // each looked up in the team's range by its day and id.
  const urgentForInvestigator = db.prepare<[string, string, number], Row>(
    `SELECT ${columns} FROM cases c INDEXED BY cases_urgent
       CROSS JOIN case_teams ct ON ct.received_day = c.received_day AND ct.case_id = c.id ${joined}
     WHERE c.urgent_day IS NOT NULL AND ct.team_id = ? AND ${notExcluded} ORDER BY c.received_day DESC, c.id DESC LIMIT ?`,
  );
  const countForInvestigator = db.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM case_teams ct WHERE ct.team_id = ? AND ${notExcluded}`,
  );
  // One case: its row, then its pair with the team, by the whole key.
  const findForTeam = db.prepare<[string, string], Row>(
    `SELECT ${columns} FROM cases c
       CROSS JOIN case_teams ct ON ct.received_day = c.received_day AND ct.case_id = c.id ${joined}
     WHERE c.id = ? AND ct.team_id = ?`,
  );

  return {
    listForTeam(teamId: string): TeamCaseListing[] {
      return listForTeam.all(teamId).map(toListing);
    },
    /** The team's cases minus those `investigatorId` is excluded from (conflict of interest). */
    listForInvestigator(teamId: string, investigatorId: string): TeamCaseListing[] {
      return listForInvestigator.all(teamId, investigatorId).map(toListing);
    },
    /**
     * The first `limit` of those cases in the inbox's order — urgent ones first, then by received day and id,
     * newest first — reading about `2 × limit` cases whatever the team's size; and how many there are in all.
     */
    firstForInvestigator(teamId: string, investigatorId: string, limit: number): { cases: TeamCaseListing[]; total: number } {
      const urgent = urgentForInvestigator.all(teamId, investigatorId, limit).map(toListing);
      const rest = newestForInvestigator.all(teamId, investigatorId, limit).map(toListing).filter((c) => c.urgentDay === null);
      const { n } = countForInvestigator.get(teamId, investigatorId)!;
      return { cases: [...urgent, ...rest].slice(0, limit), total: n };
    },
    /** The case as `teamId` sees it, or undefined if it was not sent to that team. */
    findForTeam(caseId: string, teamId: string): TeamCaseListing | undefined {
      const row = findForTeam.get(caseId, teamId);
      return row && toListing(row);
    },
  };
}

export type CaseListsRepo = ReturnType<typeof createCaseListsRepo>;
