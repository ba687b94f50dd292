/**
 * Internal notes on a case: ciphertexts the team writes for itself (encrypted
 * to the case's teams' investigators and recovery keys, never the reporter).
 * The reporter's status view never reads this table.
 */
import type { Db } from './database.ts';
import { toBlob, toBytes } from './columns.ts';

export interface NoteRecord {
  id: string;
  caseId: string;
  investigatorId: string;
  /** Display name of the author. */
  byName: string;
  day: string;
  body: Uint8Array;
}

interface NoteRow {
  id: string;
  case_id: string;
  investigator_id: string;
  by_name: string;
  day: string;
  body: Buffer;
}

export function createNotesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO case_notes (id, case_id, investigator_id, day, body) VALUES (?, ?, ?, ?, ?)`);
  const ofCase = db.prepare<[string], NoteRow>(
    `SELECT n.id, n.case_id, n.investigator_id, i.display_name AS by_name, n.day, n.body
     FROM case_notes n JOIN investigators i ON i.id = n.investigator_id
     WHERE n.case_id = ? ORDER BY n.seq`,
  );
  return {
    create(note: Omit<NoteRecord, 'byName'>): void {
      insert.run(note.id, note.caseId, note.investigatorId, note.day, toBlob(note.body));
    },
    listForCase(caseId: string): NoteRecord[] {
      return ofCase.all(caseId).map((r) => ({
        id: r.id, caseId: r.case_id, investigatorId: r.investigator_id, byName: r.by_name, day: r.day, body: toBytes(r.body),
      }));
    },
  };
}

export type NotesRepo = ReturnType<typeof createNotesRepo>;
