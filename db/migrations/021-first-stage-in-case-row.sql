-- Ombud schema, version 21: a case's first stage is implied by its row
-- (docs/performance.md, "Pages per report").
--
-- Every case began its stage history with the row ('received', the day it
-- was received, no reason, no investigator): everything in it is in the case
-- row already, yet writing it cost each report two pages (stage_history at
-- the case's random base, and its index). From now on a case received at
-- intake writes no history row; `first_stage_implied = 1` says its history
-- begins with that entry, and the repository (db/cases.repo.ts `history`)
-- puts it first. Later stages are written to stage_history as before.
--
-- Existing cases: where the first row (lowest seq) of a case's history is
-- exactly that entry, the row goes and the case is marked. A case whose
-- history began otherwise (made in another stage, e.g. by a test or a
-- restored import) keeps its rows and stays unmarked: its history reads the
-- same as before.

ALTER TABLE cases ADD COLUMN first_stage_implied INTEGER NOT NULL DEFAULT 0 CHECK (first_stage_implied IN (0, 1));

CREATE TEMP TABLE implied_v21 AS
  SELECT h.seq AS seq, h.case_id AS case_id
  FROM stage_history h JOIN cases c ON c.id = h.case_id
  WHERE h.seq = (SELECT MIN(f.seq) FROM stage_history f WHERE f.case_id = h.case_id)
    AND h.stage = 'received' AND h.day = c.received_day AND h.reason IS NULL AND h.investigator_id IS NULL;
UPDATE cases SET first_stage_implied = 1 WHERE id IN (SELECT case_id FROM implied_v21);
DELETE FROM stage_history WHERE seq IN (SELECT seq FROM implied_v21);
DROP TABLE implied_v21;
