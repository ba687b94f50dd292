-- Ombud schema, version 20: fewer pages written per report
-- (docs/performance.md, "Pages per report").
--
-- Every row a report writes lands at a random place (db/row-order.ts), so
-- each table and each index it touches costs one whole page in the commit.
-- Three of those pages bought nothing:
--
-- case_teams  was a rowid table (random rowid) with its primary key as a
--             separate index: two pages for one (case, team) pair. Keyed by
--             (case_id, team_id) WITHOUT ROWID, the pair is stored once, in
--             the key's order — the random case id, so still no arrival
--             order. The team index holds (team_id, case_id): it answers a
--             team's list alone, as before.
-- used_pow    the same: a random rowid plus the challenge id's index. Keyed
--             by the challenge id (random) WITHOUT ROWID.
-- audit_pending_by_day
--             read only by the daily batch (`day < today`, then sorted in
--             full anyway) over a table that holds about one day of
--             reporter events; the workspace's view scans the table anyway.
--             A scan once a day is cheaper than an index page per report.

CREATE TABLE case_teams_v20 (
  case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams (id),
  PRIMARY KEY (case_id, team_id)
) WITHOUT ROWID;
INSERT INTO case_teams_v20 (case_id, team_id) SELECT case_id, team_id FROM case_teams;
DROP TABLE case_teams;
ALTER TABLE case_teams_v20 RENAME TO case_teams;
CREATE INDEX case_teams_by_team ON case_teams (team_id);

CREATE TABLE used_pow_v20 (
  challenge_id TEXT PRIMARY KEY,
  expires_day  TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO used_pow_v20 (challenge_id, expires_day) SELECT challenge_id, expires_day FROM used_pow;
DROP TABLE used_pow;
ALTER TABLE used_pow_v20 RENAME TO used_pow;

DROP INDEX audit_pending_by_day;
