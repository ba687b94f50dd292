-- Ombud schema, version 7: investigator accounts.
--
-- invites: single-use links (`/join#token`) with which an administrator adds
-- an investigator to their team. Only the sha256 of the token is stored.
-- used_at / revoked_at end the link; expires_at is 7 days after issue.
--
-- investigator_totp: the second factor. secret_box is the 20-byte TOTP secret
-- sealed (AES-256-GCM) with a key derived from the server secret, which never
-- lives in the database: a stolen database alone does not reveal it.
-- enabled = 0 while enrolment waits for the first code. last_step is the last
-- time step accepted, so a code cannot be used twice.
--
-- investigator_recovery_codes: one-time codes, stored as keyed hashes only.

CREATE TABLE invites (
  token_hash   TEXT PRIMARY KEY,                   -- hex sha256 of the token
  id           TEXT NOT NULL UNIQUE,               -- opaque id to list/revoke with
  team_id      TEXT NOT NULL REFERENCES teams (id),
  display_name TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('admin', 'investigator')),
  created_by   TEXT NOT NULL REFERENCES investigators (id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX invites_by_team ON invites (team_id);

CREATE TABLE investigator_totp (
  investigator_id TEXT PRIMARY KEY REFERENCES investigators (id) ON DELETE CASCADE,
  secret_box      TEXT NOT NULL,                   -- base64url iv|ciphertext|tag
  enabled         INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  last_step       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE investigator_recovery_codes (
  investigator_id TEXT NOT NULL REFERENCES investigators (id) ON DELETE CASCADE,
  code_hash       TEXT NOT NULL,
  used_at         INTEGER,
  PRIMARY KEY (investigator_id, code_hash)
);
