-- Ombud schema, version 4: files and voice messages in the reporter's replies
-- (docs/protocol.md, “Attachments”).
--
-- A reporter's message may carry attachments like the report does; they are
-- moved from staging to `attachments` in the same transaction as the message.
-- `message_id` says which message a file belongs to (NULL: the report's own
-- files), so that each side lists the report's files and each message's
-- files apart. Names and types stay inside the encrypted message.

ALTER TABLE attachments ADD COLUMN message_id TEXT REFERENCES messages (id) ON DELETE CASCADE;
CREATE INDEX attachments_by_message ON attachments (message_id) WHERE message_id IS NOT NULL;
