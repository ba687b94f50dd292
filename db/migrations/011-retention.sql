-- Ombud schema, version 11: retention and legal holds.
--
-- teams.retention_days  how many days a team keeps its CLOSED cases, counted
--                       from the day the case was closed. A case sent to
--                       several teams is kept until the LONGEST of its teams'
--                       retention has passed. Bounds: common/limits.ts
--                       RETENTION_DAYS (the CHECK repeats them).
-- legal_holds           at most one per case: while it exists the case is
--                       never purged, however old. The reason is clear text
--                       written by an administrator (the form warns: no report
--                       details); who set it is an investigator id without a
--                       foreign key, so that removing an account never blocks
--                       on a hold. The hold goes with the case (CASCADE) only
--                       if the case is deleted some other way; purge skips
--                       held cases.

ALTER TABLE teams ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 730
  CHECK (retention_days BETWEEN 30 AND 3650);

CREATE TABLE legal_holds (
  case_id  TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  team_id  TEXT NOT NULL REFERENCES teams (id),    -- the administrator's team
  reason   TEXT NOT NULL,
  set_day  TEXT NOT NULL,
  set_by   TEXT NOT NULL                           -- investigator id
);
