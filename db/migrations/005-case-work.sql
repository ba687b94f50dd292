-- Ombud schema, version 5: the team's work on a case.
--
-- In the clear (workflow data the team chose to keep readable, see
-- docs/threat-model.md): who the case is assigned to, short labels, the
-- retaliation-risk LEVEL, the outcome of a closed case, and who is excluded
-- from it for a conflict of interest. Encrypted (OpenPGP, to the teams'
-- investigators and recovery keys, never the reporter): internal notes and
-- the rationale of the risk assessment.
--
-- version       bumped by every change to a case's workflow; a change sent
--               with an older version is refused (409 conflict), so two
--               investigators cannot silently overwrite each other.
-- labels        JSON array of short strings, chosen by the team.
-- risk_*        the latest assessment (ISO 37002 8.3.2); its rationale is a
--               ciphertext like a note.

ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN assignee_id TEXT REFERENCES investigators (id);
ALTER TABLE cases ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN risk_level TEXT CHECK (risk_level IN ('low', 'medium', 'high'));
ALTER TABLE cases ADD COLUMN risk_rationale BLOB;
ALTER TABLE cases ADD COLUMN risk_day TEXT;
ALTER TABLE cases ADD COLUMN risk_by TEXT REFERENCES investigators (id);
ALTER TABLE cases ADD COLUMN outcome TEXT
  CHECK (outcome IN ('substantiated', 'partly_substantiated', 'not_substantiated', 'withdrawn', 'referred'));

CREATE TABLE case_notes (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,            -- random
  case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  investigator_id TEXT NOT NULL REFERENCES investigators (id),
  day             TEXT NOT NULL,
  body            BLOB NOT NULL                    -- OpenPGP ciphertext, team only
);
CREATE INDEX case_notes_by_case ON case_notes (case_id, seq);

CREATE TABLE case_exclusions (
  case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  investigator_id TEXT NOT NULL REFERENCES investigators (id),
  day             TEXT NOT NULL,
  excluded_by     TEXT NOT NULL REFERENCES investigators (id),
  PRIMARY KEY (case_id, investigator_id)
);
