-- Ombud schema, version 22: a team's newest cases without reading every case
-- (docs/performance.md, "The inbox's first page").
--
-- The inbox opened with the team's whole list in one answer: at 100,000
-- cases that read 100,000 case rows, each at its random place in the file
-- (db/row-order.ts), before the first row could be drawn. The inbox now asks
-- first for the newest cases and the urgent ones, then for the rest.
--
-- case_teams  gains the case's received day (fixed when the case is made,
--             already in the clear in `cases`). Its team index becomes
--             (team_id, received_day, case_id): a team's newest cases are the
--             end of the team's range, read backwards. Inside a day the
--             order is the random case id's, so the index tells no more
--             about arrival order than the day itself does. The old index
--             (team_id, case_id) goes: one index page per report, as before.
-- cases_urgent
--             the cases whose reporter reported retaliation, which the inbox
--             lists first. Partial: only an urgent case has an entry, so a
--             report costs no page in it.

CREATE TABLE case_teams_v22 (
  case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  team_id      TEXT NOT NULL REFERENCES teams (id),
  received_day TEXT NOT NULL,
  PRIMARY KEY (case_id, team_id)
) WITHOUT ROWID;
INSERT INTO case_teams_v22 (case_id, team_id, received_day)
  SELECT ct.case_id, ct.team_id, c.received_day FROM case_teams ct JOIN cases c ON c.id = ct.case_id;
DROP TABLE case_teams;
ALTER TABLE case_teams_v22 RENAME TO case_teams;
CREATE INDEX case_teams_by_team_day ON case_teams (team_id, received_day, case_id);

CREATE INDEX cases_urgent ON cases (urgent_day) WHERE urgent_day IS NOT NULL;
