/**
 * Which teams a case is shown to, in SQL.
 *
 * `case_teams` is one tree keyed by (team_id, received_day, case_id)
 * (migration 027): a team's cases are a range of it, newest day last, and a
 * report writes one page of it, not two. A case's pair is found with all
 * three parts of the key: its team, its received day (read from its row in
 * `cases`) and its id. A case's own teams are found by looking up each team
 * of the deployment (a few dozen) with that day and id.
 *
 * Only the repositories in db/ use these fragments; the names of their
 * aliases start with `ct_` so they never hide an alias of the query they
 * are set in.
 */

/**
 * `EXISTS …`: is the case `caseId` (an SQL expression of the outer query)
 * one of the team's? Takes one parameter: the team. `receivedDay`, an
 * expression, saves reading the case's row when the outer query has it.
 */
export function caseInTeam(caseId: string, receivedDay?: string): string {
  const day = receivedDay ?? `(SELECT ct_c.received_day FROM cases ct_c WHERE ct_c.id = ${caseId})`;
  return `EXISTS (SELECT 1 FROM case_teams ct_x WHERE ct_x.team_id = ? AND ct_x.received_day = ${day} AND ct_x.case_id = ${caseId})`;
}

/**
 * `FROM …`: the teams of the case `c` (an alias of `cases` in the outer
 * query), as rows of `teams ct_t`. Each team is looked up with the case's
 * day and id; CROSS JOIN keeps the teams outermost.
 */
export const TEAMS_OF_CASE_ROW = `teams ct_t CROSS JOIN case_teams ct_p
  ON ct_p.team_id = ct_t.id AND ct_p.received_day = c.received_day AND ct_p.case_id = c.id`;
