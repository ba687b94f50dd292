/**
 * A case's "received" audit event, implied by its row until the daily batch
 * seals it (migration 024): `cases.received_event` holds the event's detail
 * (canonical JSON, ids only) and is cleared when the event enters the chain.
 * The batch and the workspace's view of pending events read these events as
 * if they were rows of audit_pending (./audit.repo.ts, ./audit-seal-queue.ts),
 * with the id '' (a pending row's is random, never empty).
 */

/** The day from which implied events are looked for (migration 024). */
export const IMPLIED_SINCE = `SELECT day FROM audit_implied_since WHERE id = 1`;

/** The columns of audit_pending, for a case row `c` whose event is implied. */
export const IMPLIED_COLUMNS = `'' AS id, c.received_day AS day, c.id AS case_id, 'case.received' AS action, c.received_event AS detail`;

/**
 * The cases whose "received" event is still implied, through each team's range of case_teams (migration
 * 027) from the day the last batch left, so that no older case is read (a case of several teams comes once
 * per team: GROUP BY c.id). CROSS JOIN keeps the teams outside: the other way round, SQLite would scan the
 * whole table.
 * Continue with `AND …`.
 */
export const IMPLIED_FROM_EVERY_TEAM = `teams t
  CROSS JOIN case_teams ct
    ON ct.team_id = t.id AND ct.received_day >= (${IMPLIED_SINCE})
  JOIN cases c ON c.id = ct.case_id
  WHERE c.received_event IS NOT NULL`;

/** The cases of one team (parameter) whose "received" event is still implied. Continue with `AND …`. */
export const IMPLIED_FROM_TEAM = `case_teams ct CROSS JOIN cases c ON c.id = ct.case_id
  WHERE ct.team_id = ? AND c.received_event IS NOT NULL`;

/** Sealed: the case's event is no longer implied (one change when it still was). Parameter: the case. */
export const CLEAR_IMPLIED = `UPDATE cases SET received_event = NULL WHERE id = ? AND received_event IS NOT NULL`;
