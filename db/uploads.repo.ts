/**
 * Encrypted attachments: staged uploads under an upload ticket, and the
 * attachments of a case once its report is received. Only ciphertext, its
 * size and its recipients' key ids are stored.
 *
 * The ciphertext lies in the files' file (db/database.ts attachFiles), the
 * rest here. A body is committed first, on its own (`putBody`), then the row
 * that names it; a body whose row was not written is dropped again
 * (`dropUnnamedBody`), or at the next start (`sweepUnnamed`). Bodies of
 * deleted rows wait in the queue that migration 026's triggers fill, until
 * `drainDeletions` runs after the deleting transaction.
 */
import { FILES_SCHEMA, writeTransaction, type Db } from './database.ts';
import { NEXT_SEQ_IN_CASE, randomRowid } from './row-order.ts';
import { decodeKeyIds, encodeKeyIds, toBlob, toBytes } from './columns.ts';

export interface StagedUpload {
  id: string;
  ticketId: string;
  keyIds: string[];
  size: number;
}

/** A resumable upload on its way (migration 016): `received` of `length` bytes are stored. */
export interface PartialUpload {
  id: string;
  ticketId: string;
  length: number;
  /** The declared SHA-256 of the whole ciphertext, hex. */
  digest: string;
  received: number;
}

export interface AttachmentInfo {
  id: string;
  size: number;
  /** The reporter's message it came with; null for the report's own files. */
  messageId: string | null;
}

export interface TicketUsage {
  uploads: number;
  bytes: number;
  spent: boolean;
}

interface StagedRow {
  id: string;
  ticket_id: string;
  key_ids: string;
  size: number;
}

export function createUploadsRepo(db: Db) {
  const purge = db.prepare(`DELETE FROM upload_tickets WHERE purge_after < ?`);
  // The oldest `limit` of them, by their index (upload_tickets_by_purge): bounded work per call.
  const purgeSome = db.prepare(
    `DELETE FROM upload_tickets WHERE rowid IN (SELECT rowid FROM upload_tickets WHERE purge_after < ? ORDER BY purge_after LIMIT ?)`,
  );
  // One holder's tickets (a GLOB over the id: an investigator's voice replies, at most their quota).
  const purgeUnder = db.prepare(`DELETE FROM upload_tickets WHERE ticket_id GLOB ? AND purge_after < ?`);
  const ensureTicket = db.prepare(
    `INSERT INTO upload_tickets (rowid, ticket_id, purge_after) VALUES (?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING`,
  );
  const usage = db.prepare<[string], { uploads: number; bytes: number; spent: number }>(
    `SELECT uploads, bytes, spent FROM upload_tickets WHERE ticket_id = ?`,
  );
  const charge = db.prepare(`UPDATE upload_tickets SET uploads = uploads + 1, bytes = bytes + ? WHERE ticket_id = ?`);
  const chargeBytes = db.prepare(`UPDATE upload_tickets SET bytes = bytes + ? WHERE ticket_id = ?`);
  const insertStaged = db.prepare(`INSERT INTO staged_uploads (rowid, id, ticket_id, key_ids, size) VALUES (?, ?, ?, ?, ?)`);
  const findStaged = db.prepare<[string], StagedRow>(`SELECT id, ticket_id, key_ids, size FROM staged_uploads WHERE id = ?`);
  const move = db.prepare(
    `INSERT INTO attachments (seq, id, case_id, message_id, size)
     SELECT ${NEXT_SEQ_IN_CASE('attachments')}, id, ?, ?, size FROM staged_uploads WHERE id = ?`,
  );
  const deleteStaged = db.prepare(`DELETE FROM staged_uploads WHERE id = ?`);
  const spend = db.prepare(`UPDATE upload_tickets SET spent = 1, purge_after = ? WHERE ticket_id = ? AND spent = 0`);
  const ofCase = db.prepare<[string], { id: string; size: number; message_id: string | null }>(
    `SELECT id, size, message_id FROM attachments WHERE case_id = ? ORDER BY seq`,
  );
  const body = db.prepare<[string, string], { body: Buffer }>(
    `SELECT b.body FROM attachments a JOIN ${FILES_SCHEMA}.bodies b ON b.id = a.id WHERE a.id = ? AND a.case_id = ?`,
  );
  const putBody = db.prepare(`INSERT OR REPLACE INTO ${FILES_SCHEMA}.bodies (id, body) VALUES (?, ?)`);
  const named = `(EXISTS (SELECT 1 FROM main.staged_uploads s WHERE s.id = b.id) OR EXISTS (SELECT 1 FROM main.attachments a WHERE a.id = b.id))`;
  const dropUnnamed = db.prepare(`DELETE FROM ${FILES_SCHEMA}.bodies AS b WHERE b.id = ? AND NOT ${named}`);
  const sweepUnnamed = db.prepare(`DELETE FROM ${FILES_SCHEMA}.bodies AS b WHERE NOT ${named}`);
  const backupMarked = db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM backup_marks WHERE until >= ?`);
  const queued = db.prepare<[number], { id: string }>(`SELECT id FROM file_deletions LIMIT ?`);
  const deleteBody = db.prepare(`DELETE FROM ${FILES_SCHEMA}.bodies WHERE id = ?`);
  const unqueue = db.prepare(`DELETE FROM file_deletions WHERE id = ?`);
  const queueLength = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM file_deletions`);
  // IMMEDIATE: the write lock is taken before the backup mark is read, so a mark committed after it waits for this
  // drain to commit, and the backup's snapshot of the main file, taken after its mark, sees the drain's result.
  const drainSome = writeTransaction(db, (now: number, limit: number): number => {
    if ((backupMarked.get(now)?.n ?? 0) > 0) return -1;
    const ids = queued.all(limit);
    for (const { id } of ids) {
      deleteBody.run(id);
      unqueue.run(id);
    }
    return ids.length;
  });
  const outsideTransaction = (what: string) => {
    if (db.inTransaction) throw new Error(`${what} must run outside a transaction: its commit in the files' file comes first or after`);
  };
  const stagedCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM staged_uploads`);
  const stagedMatching = db.prepare<[string], { n: number; bytes: number }>(
    `SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM staged_uploads WHERE ticket_id GLOB ?`,
  );
  const insertPartial = db.prepare(`INSERT INTO partial_uploads (id, ticket_id, length, digest) VALUES (?, ?, ?, ?)`);
  const findPartial = db.prepare<[string], { id: string; ticket_id: string; length: number; digest: string; received: number }>(
    `SELECT id, ticket_id, length, digest, received FROM partial_uploads WHERE id = ?`,
  );
  const insertPiece = db.prepare(`INSERT INTO upload_pieces (upload_id, offset, body) VALUES (?, ?, ?)`);
  const advance = db.prepare(`UPDATE partial_uploads SET received = received + ? WHERE id = ? AND received = ?`);
  const piecesOf = db.prepare<[string], { body: Buffer }>(`SELECT body FROM upload_pieces WHERE upload_id = ? ORDER BY offset`);
  const deletePartial = db.prepare(`DELETE FROM partial_uploads WHERE id = ?`);
  const stagedSize = db.prepare<[string], { ticket_id: string; size: number }>(`SELECT ticket_id, size FROM staged_uploads WHERE id = ?`);

  return {
    /**
     * Deletes tickets (and their staged uploads) whose purge time has passed: all of them, or the oldest
     * `limit` (the daily purge goes a chunk at a time). Returns how many.
     */
    purgeStale(now: number, limit?: number): number {
      return (limit === undefined ? purge.run(now) : purgeSome.run(now, limit)).changes;
    },
    /** Deletes the stale tickets (and their staged uploads) whose id matches `pattern` (GLOB). Returns how many. */
    purgeStaleUnder(pattern: string, now: number): number {
      return purgeUnder.run(pattern, now).changes;
    },
    usage(ticketId: string): TicketUsage {
      const row = usage.get(ticketId);
      return row ? { uploads: row.uploads, bytes: row.bytes, spent: row.spent === 1 } : { uploads: 0, bytes: 0, spent: false };
    },
    /**
     * Stores the ciphertext of an upload about to be staged under `id`, committed in the files' file on its own,
     * before the transaction that writes its row (`stage`, `storeReserved`). If that transaction does not write the
     * row, `dropUnnamedBody` deletes it again. Not inside a transaction.
     */
    putBody(id: string, body: Uint8Array): void {
      outsideTransaction('putBody');
      putBody.run(id, toBlob(body));
    },
    /**
     * `putBody`, then `stageRow` (which writes the row that names the body in a transaction of its own); if that
     * throws, the body is dropped again (`dropUnnamedBody`) before the error goes on. Not inside a transaction.
     */
    withBody<T>(id: string, body: Uint8Array, stageRow: () => T): T {
      this.putBody(id, body);
      let staged = false;
      try {
        const result = stageRow();
        staged = true;
        return result;
      } finally {
        if (!staged) this.dropUnnamedBody(id);
      }
    },
    /** Deletes the body stored under `id` unless a staged upload or an attachment names it. Not inside a transaction. */
    dropUnnamedBody(id: string): void {
      outsideTransaction('dropUnnamedBody');
      dropUnnamed.run(id);
    },
    /**
     * Deletes every body that no staged upload or attachment names: what a crash between a body's commit and its
     * row's left. Only at start-up, before requests: at any other time a body may be between its two commits.
     */
    sweepUnnamed(): number {
      outsideTransaction('sweepUnnamed');
      return sweepUnnamed.run().changes;
    },
    /**
     * Deletes the bodies of deleted rows (the queue migration 026's triggers fill), `batch` at a time, each batch
     * its own transaction. Stops, returning what it deleted so far, while a backup's mark stands (`paused`).
     * Not inside a transaction: a body goes only after its row's deletion committed.
     */
    drainDeletions(now: number, batch = 32): { deleted: number; paused: boolean } {
      outsideTransaction('drainDeletions');
      // Most calls find nothing queued: a read, without the write lock the batches take.
      if (queued.all(1).length === 0) return { deleted: 0, paused: false };
      let deleted = 0;
      for (;;) {
        const n = drainSome(now, batch);
        if (n < 0) return { deleted, paused: true };
        deleted += n;
        if (n < batch) return { deleted, paused: false };
      }
    },
    /** How many bodies wait in the deletion queue. */
    deletionsQueued(): number {
      return queueLength.get()?.n ?? 0;
    },
    /** Stores one staged upload and charges it to its ticket (call inside a transaction with the budget check; its body first, `putBody`). */
    stage(upload: StagedUpload & { purgeAfter: number }): void {
      ensureTicket.run(randomRowid(), upload.ticketId, upload.purgeAfter);
      charge.run(upload.size, upload.ticketId);
      insertStaged.run(randomRowid(), upload.id, upload.ticketId, encodeKeyIds(upload.keyIds), upload.size);
    },
    /**
     * Counts one upload against its ticket before its body is read (server/reporter/upload-stage.ts), so that
     * simultaneous uploads cannot all pass the budget check, and a refused upload costs like a staged one.
     * Since then `uploads` counts attempts, not only uploads staged (the column is unchanged).
     */
    reserve(ticketId: string, purgeAfter: number): void {
      ensureTicket.run(randomRowid(), ticketId, purgeAfter);
      charge.run(0, ticketId);
    },
    /** Charges the bytes an upload reserved with `reserve` sent, whether it is then staged or refused. */
    chargeBytes(ticketId: string, bytes: number): void {
      chargeBytes.run(bytes, ticketId);
    },
    /** Stores one upload reserved and charged by `reserve` and `chargeBytes` (inside their transaction; its body first, `putBody`). */
    storeReserved(upload: StagedUpload): void {
      insertStaged.run(randomRowid(), upload.id, upload.ticketId, encodeKeyIds(upload.keyIds), upload.size);
    },
    findStaged(id: string): StagedUpload | undefined {
      const row = findStaged.get(id);
      return row && { id: row.id, ticketId: row.ticket_id, keyIds: decodeKeyIds(row.key_ids), size: row.size };
    },
    /** Moves a staged upload to a case (same id), or to one message of it. Call inside the intake's (or the message's) transaction. */
    attach(uploadId: string, caseId: string, messageId: string | null = null): void {
      if (move.run(caseId, randomRowid(), caseId, messageId, uploadId).changes !== 1) throw new Error('staged upload vanished');
      deleteStaged.run(uploadId);
    },
    /**
     * Marks a ticket as used by a report or a message. False if it already was. `purgeAfter` replaces the
     * hour-precise one of its staging: the row of a sent report's ticket must not tell that report's hour.
     */
    spendTicket(ticketId: string, purgeAfter: number): boolean {
      ensureTicket.run(randomRowid(), ticketId, purgeAfter);
      return spend.run(purgeAfter, ticketId).changes === 1;
    },
    /** Every attachment of a case: the report's and its messages'. */
    listForCase(caseId: string): AttachmentInfo[] {
      return ofCase.all(caseId).map((row) => ({ id: row.id, size: row.size, messageId: row.message_id }));
    },
    /** The ciphertext of one attachment of one case, or undefined. */
    body(caseId: string, attachmentId: string): Uint8Array | undefined {
      const row = body.get(attachmentId, caseId);
      return row && toBytes(row.body);
    },
    /** Opens a resumable upload (migration 016) under a ticket already charged for it (`reserve`, `chargeBytes`). */
    openPartial(upload: PartialUpload): void {
      insertPartial.run(upload.id, upload.ticketId, upload.length, upload.digest);
    },
    findPartial(id: string): PartialUpload | undefined {
      const row = findPartial.get(id);
      return row && { id: row.id, ticketId: row.ticket_id, length: row.length, digest: row.digest, received: row.received };
    },
    /** Stores the next piece if `offset` is still where the upload stands; false (nothing stored) otherwise. */
    appendPiece(id: string, offset: number, body: Uint8Array): boolean {
      if (advance.run(body.byteLength, id, offset).changes !== 1) return false;
      insertPiece.run(id, offset, toBlob(body));
      return true;
    },
    /** Every piece of a resumable upload, in order, as one ciphertext. */
    partialBody(id: string): Uint8Array {
      const body = Buffer.concat(piecesOf.all(id).map((row) => row.body));
      return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    },
    /** Drops a resumable upload and its pieces (once staged, or refused whole). */
    dropPartial(id: string): void {
      deletePartial.run(id);
    },
    /** A staged upload's ticket and size, for the state of a finished resumable upload. */
    stagedSize(id: string): { ticketId: string; size: number } | undefined {
      const row = stagedSize.get(id);
      return row && { ticketId: row.ticket_id, size: row.size };
    },
    stagedCount(): number {
      return stagedCount.get()?.n ?? 0;
    },
    /**
     * Staged uploads whose ticket matches a GLOB pattern, and their bytes: a team member's unsent voice
     * replies (`team/` any case `/<investigator id>/` anything, server/cases/voice-reply.ts). The ids in it are base64url,
     * which holds none of GLOB's special characters.
     */
    stagedUnder(pattern: string): { count: number; bytes: number } {
      const row = stagedMatching.get(pattern);
      return { count: row?.n ?? 0, bytes: row?.bytes ?? 0 };
    },
  };
}

export type UploadsRepo = ReturnType<typeof createUploadsRepo>;
