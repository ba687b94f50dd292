-- A deployment's own recordings of listen prompts (docs/listening.md,
-- "A deployment's own recordings"): one row per language and clip, the
-- Ogg Opus bytes, their SHA-256, and the detached signature by the
-- administrator's investigator key over (lang, clip, sha256) with that
-- public key — the worker's page checks both against the recovery keys its
-- link pins, never the server's word. Saving again replaces the row.
CREATE TABLE prompt_recordings (
  lang TEXT NOT NULL,
  clip TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  audio BLOB NOT NULL,
  signature TEXT NOT NULL,
  signer_key TEXT NOT NULL,
  investigator_id TEXT NOT NULL REFERENCES investigators(id),
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (lang, clip)
);
CREATE INDEX prompt_recordings_sha ON prompt_recordings (sha256);
