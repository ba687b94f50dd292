-- Ombud schema, version 23: the purge lists due cases a page at a time
-- (docs/performance.md, "Eighth run").
--
-- cases_closed_by_day  the closed cases, by the day they were closed, then
--                      id. The purge (db/retention.repo.ts `duePage`) walks
--                      it from a cursor, a few hundred entries per step, and
--                      stops at the newest day a case can be due on. Before,
--                      one query read every case row (the report's pages
--                      with it) and sorted the closed ones before its first
--                      answer: at 1,000,000 cases, one step over gigabytes.
--
-- Partial: a case enters it when it is closed, not at intake, so a report
-- writes no page more. It holds nothing the row does not hold in the clear
-- (the closed day, the random id), and its order is the closing day's, set by
-- an investigator, never the order in which reports arrived.

CREATE INDEX cases_closed_by_day ON cases (closed_day, id) WHERE stage = 'closed' AND closed_day IS NOT NULL;
