-- Ombud schema, version 15: uploads that resume after a dropped connection
-- (docs/protocol.md "v2: idempotent sends and resumable uploads").
--
-- A resumable upload declares its length and the SHA-256 of its ciphertext
-- when it is opened, under its ticket (whose budget is charged the whole
-- length at once). Its bytes arrive in pieces, each stored as received, so a
-- cut connection loses nothing that reached the server and the browser
-- continues from `received`. Only when every byte is there and the digest
-- matches is it moved to `staged_uploads` (the same id), in one transaction:
-- until then it cannot be attached to anything. Deleted with its ticket.
-- Rows WITHOUT ROWID, keyed by random ids: no insertion order is kept.

CREATE TABLE partial_uploads (
  id        TEXT PRIMARY KEY,                      -- random; becomes the staged upload's id
  ticket_id TEXT NOT NULL REFERENCES upload_tickets (ticket_id) ON DELETE CASCADE,
  length    INTEGER NOT NULL CHECK (length > 0),   -- declared ciphertext bytes
  digest    TEXT NOT NULL,                         -- declared SHA-256 of the whole ciphertext, hex
  received  INTEGER NOT NULL DEFAULT 0             -- bytes stored in upload_pieces
) WITHOUT ROWID;
CREATE INDEX partial_uploads_by_ticket ON partial_uploads (ticket_id);

CREATE TABLE upload_pieces (
  upload_id TEXT NOT NULL REFERENCES partial_uploads (id) ON DELETE CASCADE,
  offset    INTEGER NOT NULL,
  body      BLOB NOT NULL,                         -- OpenPGP ciphertext, a piece of it
  PRIMARY KEY (upload_id, offset)
) WITHOUT ROWID;
