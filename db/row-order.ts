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
 * - but the cases, whose row holds the day each was received in the clear,
 *   get a rowid ordered by that day and random within it
 *   (`dayOrderedRowid`): their storage order tells the day and no more, as
 *   the indexes ordered by a day do (migrations 022, 023). A report's row
 *   then lands among the day's other reports, a few pages the server has
 *   just written, not on a random page of a file that grew for years (each
 *   one read from the disk, and split with its neighbours: a case's row is
 *   about a page, docs/performance.md, "Twenty-fifth run");
 * - tables whose integer `seq` orders the rows of ONE case (messages,
 *   attachments, stage history) start each case at a random base and count
 *   up from there (`NEXT_SEQ_IN_CASE`): the order within a case stays (a
 *   conversation needs it), the order between cases says nothing.
 *
 * Bases are drawn from [2^40, 2^40 + 2^52): below 2^53, so they stay exact as
 * JavaScript numbers; two cases' runs collide only if their bases fall
 * within a few rows of each other (about 2^-50 per pair).
 */
import { randomFillSync } from 'node:crypto';

const BASE = 2 ** 40;
const SPAN = 2 ** 52;

/**
 * Random bytes for ids, drawn from the system's CSPRNG 4 KiB at a time and
 * handed out once each, as Node does for `crypto.randomUUID`. One
 * `randomBytes` call costs about as much as filling 4 KiB (≈ 7 µs here, and
 * three or four per report: docs/performance.md); the bytes are the same
 * CSPRNG output. Only for ids, which are not credentials: a secret (a session
 * or an invitation token) takes its own `randomBytes` (server/security/secrets.ts),
 * so nothing secret waits in this buffer.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

/** `n` (≤ 4,096) fresh random bytes, never handed out before. */
export function idBytes(n: number): Buffer {
  if (!(n > 0 && n <= pool.length)) throw new RangeError(`idBytes: ${n} bytes`);
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, poolAt + n));
  pool.fill(0, poolAt, poolAt + n);
  poolAt += n;
  return bytes;
}

/** A random integer in [2^40, 2^40 + 2^52). */
export function randomRowid(): number {
  const b = idBytes(7);
  // 52 bits: 6 whole bytes and the low nibble of the seventh.
  const value = (b[6]! & 0x0f) * 2 ** 48 + b.readUIntBE(0, 6);
  return BASE + (value % SPAN);
}

/** Bits of a day-ordered rowid below the day: random within the day. */
const DAY_SHIFT = 47n;
const DAY_MS = 86_400_000;
/** Days since 1970-01-01 that fit above the random bits in a signed 64-bit rowid: until 2149-06-06. */
const LAST_DAY = 2 ** 16 - 1;

/**
 * A rowid for a row of `day` (YYYY-MM-DD, UTC): the day's number since
 * 1970-01-01 times 2^47, plus 47 random bits; a bigint, as it is above 2^53.
 * Rows of one day are stored in a random order, and after every row of an
 * earlier day. Random rowids (`randomRowid`, the cases' before 7 December
 * 2026) sort before those of any day after January 1970. Two rows of one day
 * collide with a chance of 2^-47 a pair (a thousand reports a day: about
 * 4 × 10^-9 a day); the insert then fails, and nothing is stored.
 */
export function dayOrderedRowid(day: string): bigint {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  const number = ms / DAY_MS;
  if (!Number.isInteger(number) || number < 0 || number > LAST_DAY || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`dayOrderedRowid: not a day from 1970-01-01 to 2149-06-06: ${day}`);
  }
  const random = BigInt(idBytes(6).readUIntBE(0, 6)) & ((1n << DAY_SHIFT) - 1n);
  return (BigInt(number) << DAY_SHIFT) | random;
}

/**
 * SQL for the `seq` of a new row of `table` in one case. Parameters: the case
 * id, then a fresh `randomRowid()` (used when the case has no row yet).
 */
export const NEXT_SEQ_IN_CASE = (table: 'messages' | 'attachments' | 'stage_history') =>
  `COALESCE((SELECT MAX(seq) + 1 FROM ${table} WHERE case_id = ?), ?)`;

/** A random opaque id (128 bits, base64url), for rows that need no order at all. */
export function randomId(): string {
  return idBytes(16).toString('base64url');
}
