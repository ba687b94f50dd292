-- Ombud schema, version 24: a case's "received" audit event is implied by its
-- row until the daily batch seals it (docs/performance.md, "Pages per report").
--
-- Every report wrote a row to audit_pending, ('case.received', its day, the
-- case, {channel, teams}): everything in it but the detail is in the case row
-- already, and writing it cost each report an insert and about 1.5 pages at a
-- random place. From now on intake keeps the event's detail (canonical JSON,
-- ids only) in the case row, `received_event`; the batch (db/audit.repo.ts,
-- db/audit-seal-queue.ts) appends it to the chain in the same canonical order
-- as the pending rows, and clears the column in the same transaction. A case
-- purged before the batch leaves its event behind as a pending row.
--
-- audit_implied_since
--             the earliest day that may still hold implied events. The batch
--             finds them through the team index (case_teams_by_team_day)
--             from this day on, so it never reads older cases; after a whole
--             batch it moves to the day before the batch's day (a report made
--             just before midnight and stored just after the batch is found
--             by the next one). Intake implies the event only for a day not
--             before it; a case dated earlier (a clock set back) gets a
--             pending row as before.
--
-- Existing cases keep their events where they are (pending rows, or the
-- chain): `received_event` is NULL for them, and the mark starts at the
-- newest received day.

ALTER TABLE cases ADD COLUMN received_event TEXT;

CREATE TABLE audit_implied_since (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  day TEXT NOT NULL
);
INSERT INTO audit_implied_since (id, day) VALUES (1, COALESCE((SELECT MAX(received_day) FROM cases), '0000-01-01'));
