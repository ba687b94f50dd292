-- Ombud schema, version 14: reporter activity that cannot be placed among
-- timed events (docs/protocol.md "v2: reporter events and backups").
--
-- audit_pending   events a reporter caused (case received, a message or
--                 files written, retaliation reported, satisfaction given),
--                 dated by the day only. They wait here, in no order (random
--                 id, WITHOUT ROWID: no insertion order is kept anywhere),
--                 until the daily batch appends every event of an earlier
--                 day to the hash chain of audit_events, in a canonical
--                 order (action, case, detail), after all the timed events
--                 of that day. So nothing in the chain says whether a report
--                 came before or after a failed sign-in of the same day.
--
-- Insertion order elsewhere: rows a reporter causes sit beside timed rows in
-- cases, case_teams, messages, attachments, stage_history, and the staging
-- tables. From now on (db/row-order.ts) rowids are random, and `seq` counts
-- up from a random base per case. The rows already there are renumbered the
-- same way below. What this cannot undo: reporter events already in the
-- audit chain stay where they are (moving them would break the chain), so a
-- trail from before version 15 still orders those events among timed ones.

CREATE TABLE audit_pending (
  id      TEXT PRIMARY KEY,                        -- random
  day     TEXT NOT NULL,
  case_id TEXT NOT NULL,                           -- no foreign key: the trail outlives the case
  action  TEXT NOT NULL,
  detail  TEXT NOT NULL                            -- canonical JSON, never content
) WITHOUT ROWID;
CREATE INDEX audit_pending_by_day ON audit_pending (day);

-- Per case: a random base in [2^40, 2^40 + 2^52), then the rows in their old order.
CREATE TEMP TABLE renumber_base AS
  SELECT case_id, 1099511627776 + (random() & 4503599627370495) AS base
  FROM (SELECT case_id FROM messages UNION SELECT case_id FROM attachments UNION SELECT case_id FROM stage_history);

CREATE TEMP TABLE renumber AS
  SELECT t.seq AS old, b.base + ROW_NUMBER() OVER (PARTITION BY t.case_id ORDER BY t.seq) AS new
  FROM messages t JOIN renumber_base b ON b.case_id = t.case_id;
UPDATE messages SET seq = (SELECT new FROM renumber WHERE old = messages.seq);
DROP TABLE renumber;

CREATE TEMP TABLE renumber AS
  SELECT t.seq AS old, b.base + ROW_NUMBER() OVER (PARTITION BY t.case_id ORDER BY t.seq) AS new
  FROM attachments t JOIN renumber_base b ON b.case_id = t.case_id;
UPDATE attachments SET seq = (SELECT new FROM renumber WHERE old = attachments.seq);
DROP TABLE renumber;

CREATE TEMP TABLE renumber AS
  SELECT t.seq AS old, b.base + ROW_NUMBER() OVER (PARTITION BY t.case_id ORDER BY t.seq) AS new
  FROM stage_history t JOIN renumber_base b ON b.case_id = t.case_id;
UPDATE stage_history SET seq = (SELECT new FROM renumber WHERE old = stage_history.seq);
DROP TABLE renumber;
DROP TABLE renumber_base;

UPDATE cases SET rowid = 1099511627776 + (random() & 4503599627370495);
UPDATE case_teams SET rowid = 1099511627776 + (random() & 4503599627370495);
UPDATE upload_tickets SET rowid = 1099511627776 + (random() & 4503599627370495);
UPDATE staged_uploads SET rowid = 1099511627776 + (random() & 4503599627370495);
UPDATE used_pow SET rowid = 1099511627776 + (random() & 4503599627370495);
