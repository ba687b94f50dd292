/**
 * Row ids that do not tell when a row was written.
 *
 * SQLite gives every row of an ordinary table a rowid one above the largest,
 * and an `INTEGER PRIMARY KEY` is that rowid. In a table where a reporter's
 * rows sit beside rows of timed events (a case received beside a case an
 * investigator entered at 14:07, a reporter's message beside a reply whose
 * `case.replied` audit event has the millisecond), that order would date the
 * reporter's row between two timed ones. So:
 *
 * - tables keyed by a random TEXT id get a random rowid on insert
 *   (`randomRowid`): their storage order is random;
 * - tables whose integer `seq` orders the rows of ONE case (messages,
 *   attachments, stage history) start each case at a random base and count
 *   up from there (`NEXT_SEQ_IN_CASE`): the order within a case stays (a
 *   conversation needs it), the order between cases says nothing.
 *
 * Bases are drawn from [2^40, 2^40 + 2^52): below 2^53, so they stay exact as
 * JavaScript numbers; two cases' runs collide only if their bases fall
 * within a few rows of each other (about 2^-50 per pair).
 */
import { randomBytes } from 'node:crypto';

const BASE = 2 ** 40;
const SPAN = 2 ** 52;

/** A random integer in [2^40, 2^40 + 2^52). */
export function randomRowid(): number {
  const b = randomBytes(7);
  // 52 bits: 6 whole bytes and the low nibble of the seventh.
  const value = (b[6]! & 0x0f) * 2 ** 48 + b.readUIntBE(0, 6);
  return BASE + (value % SPAN);
}

/**
 * SQL for the `seq` of a new row of `table` in one case. Parameters: the case
 * id, then a fresh `randomRowid()` (used when the case has no row yet).
 */
export const NEXT_SEQ_IN_CASE = (table: 'messages' | 'attachments' | 'stage_history') =>
  `COALESCE((SELECT MAX(seq) + 1 FROM ${table} WHERE case_id = ?), ?)`;

/** A random opaque id (128 bits, base64url), for rows that need no order at all. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
