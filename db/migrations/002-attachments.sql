-- Ombud schema, version 2: encrypted attachments (docs/protocol.md, “Attachments”).
--
-- A worker's browser uploads each file, encrypted, before it sends the report.
-- Uploads wait in `staged_uploads` under the ticket they were made with; the
-- intake moves them to `attachments` in the same transaction as the case, so
-- a case is never "received" with a part missing. Nothing here holds a file
-- name or a media type: those are inside the encrypted report.
--
-- Times: a ticket's expiry is kept rounded UP to the hour (a reporter's
-- activity is never stored to the second), only so that stale staged uploads
-- can be deleted; the row is deleted (secure_delete) when the report is sent.

CREATE TABLE upload_tickets (
  ticket_id     TEXT PRIMARY KEY,                  -- the random part of a signed ticket
  purge_after   INTEGER NOT NULL,                  -- ms, a whole hour after the ticket expired
  uploads       INTEGER NOT NULL DEFAULT 0,        -- uploads accepted under this ticket, ever
  bytes         INTEGER NOT NULL DEFAULT 0,        -- their ciphertext bytes
  spent         INTEGER NOT NULL DEFAULT 0 CHECK (spent IN (0, 1))
);
CREATE INDEX upload_tickets_by_purge ON upload_tickets (purge_after);

CREATE TABLE staged_uploads (
  id        TEXT PRIMARY KEY,                      -- random; becomes the attachment id
  ticket_id TEXT NOT NULL REFERENCES upload_tickets (ticket_id) ON DELETE CASCADE,
  key_ids   TEXT NOT NULL,                         -- JSON array of the PKESK key ids (lowercase hex)
  size      INTEGER NOT NULL,
  body      BLOB NOT NULL                          -- OpenPGP ciphertext
);
CREATE INDEX staged_uploads_by_ticket ON staged_uploads (ticket_id);

CREATE TABLE attachments (
  seq     INTEGER PRIMARY KEY,                     -- order within a case
  id      TEXT NOT NULL UNIQUE,
  case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  size    INTEGER NOT NULL,
  body    BLOB NOT NULL                            -- OpenPGP ciphertext
);
CREATE INDEX attachments_by_case ON attachments (case_id, seq);
