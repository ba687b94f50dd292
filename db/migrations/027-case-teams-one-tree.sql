-- Ombud schema, version 27: a case's teams in one tree, not two
-- (docs/performance.md, "Twenty-seventh run").
--
-- case_teams was keyed by (case_id, team_id), with a second tree for the
-- team's list, case_teams_by_team_day (team_id, received_day, case_id)
-- (migrations 020, 022). Both trees are keyed at random by the case id, so
-- a report wrote a page in each: 1.3 pages of the 8.5 a report writes. The
-- team's tree is now the table itself, keyed by (team_id, received_day,
-- case_id), and the case-first tree goes.
--
-- Nothing the file shows changes: the rows stay in the order of the team,
-- the received day (in the clear in `cases` too) and the random case id, as
-- the index was.
--
-- A case's teams are found from its row: its received day, then each team
-- (a deployment has a few dozen) looked up with that day and the case id
-- (db/case-teams.ts). Rows are written only with the case (db/cases.repo.ts)
-- and deleted only with it (the purge, db/retention.repo.ts).
--
-- case_id no longer references `cases`: a delete of a case would look for
-- its rows here by case id, and without a case-first tree that reads the
-- whole table. The purge deletes a case's rows itself, in the transaction
-- that deletes the case.

CREATE TABLE case_teams_v27 (
  team_id      TEXT NOT NULL REFERENCES teams (id),
  received_day TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  PRIMARY KEY (team_id, received_day, case_id)
) WITHOUT ROWID;
INSERT INTO case_teams_v27 (team_id, received_day, case_id)
  SELECT team_id, received_day, case_id FROM case_teams ORDER BY team_id, received_day, case_id;
DROP TABLE case_teams;
ALTER TABLE case_teams_v27 RENAME TO case_teams;

-- cases_closed_by_day (migration 023) gains the received day, which the
-- purge's pages need to find a closed case's teams: the pages still read
-- the index alone, not each closed case's row. Only closed cases are in it,
-- so a report writes no page more.
DROP INDEX cases_closed_by_day;
CREATE INDEX cases_closed_by_day ON cases (closed_day, id, received_day) WHERE stage = 'closed' AND closed_day IS NOT NULL;
