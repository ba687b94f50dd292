-- Ombud schema, version 1.
--
-- What the server may hold (docs: /work/shared/DESIGN.md, "the server is blind"):
-- ciphertext, keyed hashes, public keys, wrapped private keys, workflow data.
-- Reporter activity is recorded to the DAY ('YYYY-MM-DD'), never to the second.
-- Investigator activity (sessions, audit of their actions) may carry
-- millisecond timestamps.
--
-- Kept portable to PostgreSQL: TEXT / INTEGER / BLOB (bytea) only, no SQLite
-- specific functions; `INTEGER PRIMARY KEY` columns become identity columns.

CREATE TABLE teams (
  id                   TEXT PRIMARY KEY,
  name                 TEXT NOT NULL,
  recovery_public_key  TEXT NOT NULL,              -- armored, offline key
  recovery_fingerprint TEXT NOT NULL,
  recovery_key_ids     TEXT NOT NULL,              -- JSON array of lowercase hex encryption key ids
  ack_days             INTEGER NOT NULL DEFAULT 7, -- acknowledgement due after receipt
  feedback_months      INTEGER NOT NULL DEFAULT 3, -- feedback due after acknowledgement
  created_day          TEXT NOT NULL
);

CREATE TABLE channels (
  slug        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_day TEXT NOT NULL
);

CREATE TABLE channel_teams (
  channel_slug TEXT NOT NULL REFERENCES channels (slug) ON DELETE CASCADE,
  team_id      TEXT NOT NULL REFERENCES teams (id),
  position     INTEGER NOT NULL DEFAULT 0,         -- order shown to the worker
  PRIMARY KEY (channel_slug, team_id)
);

CREATE TABLE investigators (
  id                  TEXT PRIMARY KEY,
  team_id             TEXT NOT NULL REFERENCES teams (id),
  username            TEXT NOT NULL UNIQUE,
  display_name        TEXT NOT NULL,
  role                TEXT NOT NULL CHECK (role IN ('admin', 'investigator')),
  -- Browser side: argon2id(password, password_salt, kdf_*) -> verifier + wrap key.
  password_salt       TEXT NOT NULL,               -- base64url, sent back at login
  kdf_algorithm       TEXT NOT NULL,
  kdf_memory_kib      INTEGER NOT NULL,
  kdf_iterations      INTEGER NOT NULL,
  kdf_parallelism     INTEGER NOT NULL,
  -- Server side: scrypt(verifier, verifier_salt, verifier_params).
  verifier_hash       TEXT NOT NULL,               -- base64url scrypt output
  verifier_salt       TEXT NOT NULL,               -- base64url
  verifier_params     TEXT NOT NULL,               -- e.g. 'scrypt:32768:8:1'
  public_key          TEXT NOT NULL,               -- armored
  fingerprint         TEXT NOT NULL,
  encryption_key_ids  TEXT NOT NULL,               -- JSON array of lowercase hex
  wrapped_private_key TEXT NOT NULL,               -- wrapped in the browser, opaque here
  created_day         TEXT NOT NULL,
  disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
CREATE INDEX investigators_by_team ON investigators (team_id);

CREATE TABLE sessions (
  id_hash         TEXT PRIMARY KEY,                -- hex sha256 of the cookie value
  investigator_id TEXT NOT NULL REFERENCES investigators (id) ON DELETE CASCADE,
  csrf_token      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,                -- ms since epoch
  last_seen_at    INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL                 -- absolute limit, whatever the activity
);
CREATE INDEX sessions_by_investigator ON sessions (investigator_id);

CREATE TABLE cases (
  id                   TEXT PRIMARY KEY,           -- random
  channel_slug         TEXT NOT NULL REFERENCES channels (slug),
  stage                TEXT NOT NULL CHECK (stage IN ('received', 'acknowledged', 'assessing', 'investigating', 'concluded', 'closed')),
  received_day         TEXT NOT NULL,
  acknowledge_by_day   TEXT NOT NULL,
  feedback_months      INTEGER NOT NULL,
  acknowledged_day     TEXT,
  closed_day           TEXT,
  last_activity_day    TEXT NOT NULL,
  lookup_hash          TEXT NOT NULL UNIQUE,       -- hex HMAC(server secret, 'lookup:' || lookup id)
  verifier_hash        TEXT NOT NULL,              -- hex HMAC(server secret, 'verifier:' || verifier)
  reporter_public_key  TEXT NOT NULL,
  reporter_key_ids     TEXT NOT NULL,              -- JSON array of lowercase hex
  wrapped_reporter_key TEXT NOT NULL,              -- base64url, wrapped by a token-derived key
  report               BLOB NOT NULL               -- OpenPGP ciphertext
);

CREATE TABLE case_teams (
  case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams (id),
  PRIMARY KEY (case_id, team_id)
);
CREATE INDEX case_teams_by_team ON case_teams (team_id);

CREATE TABLE messages (
  seq             INTEGER PRIMARY KEY,             -- ordering within a case
  id              TEXT NOT NULL UNIQUE,            -- random
  case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  author          TEXT NOT NULL CHECK (author IN ('reporter', 'team')),
  investigator_id TEXT REFERENCES investigators (id),
  day             TEXT NOT NULL,
  body            BLOB NOT NULL                    -- OpenPGP ciphertext
);
CREATE INDEX messages_by_case ON messages (case_id, seq);

CREATE TABLE stage_history (
  seq             INTEGER PRIMARY KEY,
  case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  stage           TEXT NOT NULL,
  day             TEXT NOT NULL,
  reason          TEXT,                            -- chosen by an investigator, in the clear
  investigator_id TEXT REFERENCES investigators (id)
);
CREATE INDEX stage_history_by_case ON stage_history (case_id, seq);

-- Hash chained: hash = sha256(prev_hash || canonical JSON of the event).
-- No foreign keys: the trail outlives deleted cases and investigators.
CREATE TABLE audit_events (
  seq             INTEGER PRIMARY KEY,
  day             TEXT NOT NULL,
  at              INTEGER,                         -- ms; NULL for reporter events (day only)
  actor           TEXT NOT NULL CHECK (actor IN ('reporter', 'investigator', 'system')),
  investigator_id TEXT,
  case_id         TEXT,
  action          TEXT NOT NULL,
  detail          TEXT NOT NULL,                   -- canonical JSON, never content
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL
);

CREATE TABLE setup_tokens (
  token_hash TEXT PRIMARY KEY,                     -- hex sha256 of the token
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);

-- Spent proof-of-work challenges. Only a day is kept (a second would date a
-- report); the challenge's exact expiry is checked from its signed text.
CREATE TABLE used_pow (
  challenge_id TEXT PRIMARY KEY,
  expires_day  TEXT NOT NULL
);
