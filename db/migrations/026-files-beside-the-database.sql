-- Ombud schema, version 26: files beside the database (docs/scaling.md,
-- "Files beside the database"; db/database.ts attachFiles).
--
-- The ciphertext of staged uploads and attachments now lives in the files'
-- file (`files.bodies`, keyed by the same random id). Before this migration
-- runs, db/database.ts copyBodiesOut has copied every body there and
-- committed it; here the main file lets go of them.
--
-- A body is deleted after the main file's transaction that deleted its row
-- commits: the triggers below queue its id in `file_deletions` in that same
-- transaction, and the queue is drained after it (db/uploads.repo.ts
-- drainDeletions), again at every start. Moving a staged upload to a case
-- keeps its body: the trigger on staged_uploads queues only an id that no
-- attachment has taken.
--
-- `backup_marks`: a backup in progress (db/backup.ts). Its snapshot of the
-- main file is taken before the one of the files' file; while a mark stands
-- (until its time, at most a day), nothing is drained, so the files' copy
-- holds every body the main copy names. Times are the operator's backups',
-- never a reporter's.

ALTER TABLE attachments DROP COLUMN body;
ALTER TABLE staged_uploads DROP COLUMN body;

CREATE TABLE file_deletions (
  id TEXT PRIMARY KEY                              -- a body to delete from files.bodies
) WITHOUT ROWID;

CREATE TABLE backup_marks (
  id    TEXT PRIMARY KEY,                          -- random, one per backup
  until INTEGER NOT NULL                           -- ms: a mark older than this is stale (a backup that died)
) WITHOUT ROWID;

CREATE TRIGGER attachment_body_gone AFTER DELETE ON attachments
BEGIN
  INSERT OR IGNORE INTO file_deletions (id) VALUES (OLD.id);
END;

CREATE TRIGGER staged_body_gone AFTER DELETE ON staged_uploads
WHEN NOT EXISTS (SELECT 1 FROM attachments WHERE id = OLD.id)
BEGIN
  INSERT OR IGNORE INTO file_deletions (id) VALUES (OLD.id);
END;
