-- Ombud schema, version 8: the inbox index (docs/protocol.md, "Inbox index").
--
-- team_index_keys   one per team: a random AES-256 key made in an
--                   investigator's browser, stored only as an OpenPGP message
--                   sealed to the team's investigators and recovery key.
--                   `recipients` is the number of keys it was sealed to (for
--                   the audit of re-sealing; the server checks the set).
-- case_index_entries one per case and team: AES-GCM ciphertext (fixed size)
--                   of a short normalised text of the decrypted report, under
--                   the team index key with the case id as additional data.
--                   `key_version` ties it to the key it was sealed under, so a
--                   new key makes old entries stale instead of unreadable.

CREATE TABLE team_index_keys (
  team_id      TEXT PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  key_version  INTEGER NOT NULL,
  sealed       BLOB NOT NULL
);

CREATE TABLE case_index_entries (
  case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  team_id      TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  key_version  INTEGER NOT NULL,
  entry        BLOB NOT NULL,
  PRIMARY KEY (case_id, team_id)
);
