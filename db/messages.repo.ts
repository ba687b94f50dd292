/**
 * The encrypted thread of a case: messages from the reporter and from the
 * team, in the order they were stored, dated to the day.
 */
import type { Db } from './database.ts';
import { NEXT_SEQ_IN_CASE, randomRowid } from './row-order.ts';
import { toBlob, toBytes } from './columns.ts';

export type Author = 'reporter' | 'team';

export interface MessageRecord {
  id: string;
  caseId: string;
  author: Author;
  /** Who wrote a team message; null for the reporter. */
  investigatorId: string | null;
  day: string;
  body: Uint8Array;
}

interface MessageRow {
  id: string;
  case_id: string;
  author: Author;
  investigator_id: string | null;
  day: string;
  body: Buffer;
}

export function createMessagesRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO messages (seq, id, case_id, author, investigator_id, day, body)
     VALUES (${NEXT_SEQ_IN_CASE('messages')}, ?, ?, ?, ?, ?, ?)`,
  );
  const ofCase = db.prepare<[string], MessageRow>(
    `SELECT id, case_id, author, investigator_id, day, body FROM messages WHERE case_id = ? ORDER BY seq`,
  );

  const sameFromReporter = db.prepare<[string, Buffer], { id: string; day: string }>(
    `SELECT id, day FROM messages WHERE case_id = ? AND author = 'reporter' AND body = ? LIMIT 1`,
  );

  return {
    /**
     * The reporter's message on this case with exactly this ciphertext, if one is stored: the same send
     * again (a ciphertext is never made twice), whose answer was lost (server/status/routes.ts).
     */
    findSameFromReporter(caseId: string, body: Uint8Array): { id: string; day: string } | undefined {
      return sameFromReporter.get(caseId, toBlob(body));
    },
    create(message: MessageRecord): MessageRecord {
      insert.run(
        message.caseId,
        randomRowid(),
        message.id,
        message.caseId,
        message.author,
        message.investigatorId,
        message.day,
        toBlob(message.body),
      );
      return message;
    },
    listForCase(caseId: string): MessageRecord[] {
      return ofCase.all(caseId).map((row) => ({
        id: row.id,
        caseId: row.case_id,
        author: row.author,
        investigatorId: row.investigator_id,
        day: row.day,
        body: toBytes(row.body),
      }));
    },
  };
}

export type MessagesRepo = ReturnType<typeof createMessagesRepo>;
