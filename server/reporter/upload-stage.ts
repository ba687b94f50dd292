/**
 * Staging one encrypted upload, and moving a report's staged uploads to its
 * case (called from the intake's transaction).
 *
 * An upload is checked like a report, from its packet headers only: it must
 * be an OpenPGP encrypted message (`not_encrypted` otherwise). Its recipients
 * cannot be checked yet — the reporter key is part of the report — so their
 * key ids are kept, and the intake requires them to EQUAL the report's.
 */
import type { Request } from 'express';
import { LIMITS } from '../../common/limits.ts';
import { inspectMessage } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomId } from '../security/secrets.ts';
import { clientKey } from '../security/throttle.ts';
import { readBody } from './read-body.ts';
import { TICKET_HEADER, verifyTicket, type VerifiedTicket } from './upload-ticket.ts';

/**
 * At most this many upload bodies (each up to LIMITS.uploadCiphertextBytes) are held in memory at once;
 * the others wait, unread, in their sockets. Without it, 16 simultaneous 26 MB uploads took the server
 * past half a gigabyte (tests/security/hostile-input.test.ts "keeps memory bounded…").
 */
export const CONCURRENT_UPLOAD_READS = 3;
/**
 * …and one client (../security/throttle.ts clientKey: a keyed hash of its address, through
 * OMBUD_TRUST_PROXY as configured) reads at most this many of them: three connections trickling a
 * byte every 5 s held all three slots and a worker's 2 kB upload waited. A
 * waiting upload of a client at its cap lets the uploads of other clients pass it in the queue.
 * Two, not one: the workers of a factory often share one address (its NAT), and one slow phone
 * among them must not make all the others wait behind it.
 * The other half is the minimum rate of ./read-body.ts: tricklers from many addresses lose their
 * slots after its grace time. Test: server/uploads/slots.test.ts, real sockets.
 */
export const PER_CLIENT_UPLOAD_READS = 2;

let reading = 0;
const readingBy = new Map<string, number>();
const waiting: { client: string; start: () => void }[] = [];

function take(client: string): void {
  reading += 1;
  readingBy.set(client, (readingBy.get(client) ?? 0) + 1);
}

function release(client: string): void {
  reading -= 1;
  const left = (readingBy.get(client) ?? 1) - 1;
  if (left > 0) readingBy.set(client, left);
  else readingBy.delete(client);
  // The first waiting upload whose client is under its cap goes next.
  const next = waiting.findIndex((w) => (readingBy.get(w.client) ?? 0) < PER_CLIENT_UPLOAD_READS);
  if (next >= 0 && reading < CONCURRENT_UPLOAD_READS) {
    const [chosen] = waiting.splice(next, 1);
    take(chosen!.client);
    chosen!.start();
  }
}

/** Bodies being read and requests waiting for a slot, for tests and metrics. */
export function readSlotsInUse(): { reading: number; waiting: number } {
  return { reading, waiting: waiting.length };
}

export async function withReadSlot<T>(client: string, work: () => Promise<T>): Promise<T> {
  const free = reading < CONCURRENT_UPLOAD_READS && (readingBy.get(client) ?? 0) < PER_CLIENT_UPLOAD_READS;
  if (free) take(client);
  else await new Promise<void>((start) => waiting.push({ client, start }));
  try {
    return await work();
  } finally {
    release(client);
  }
}

/**
 * Like withReadSlot, but waits at most `waitMs` for the slot; `undefined` (and `work` not run) when
 * none came. For reads that may be skipped (a refused PATCH's body, ./upload-resume.ts dropBody):
 * a flood of them neither reads past the slots nor queues without end.
 */
export async function withReadSlotWithin<T>(client: string, waitMs: number, work: () => Promise<T>): Promise<T | undefined> {
  const free = reading < CONCURRENT_UPLOAD_READS && (readingBy.get(client) ?? 0) < PER_CLIENT_UPLOAD_READS;
  if (free) take(client);
  else {
    const granted = await new Promise<boolean>((resolve) => {
      const entry = { client, start: () => { clearTimeout(timer); resolve(true); } };
      const timer = setTimeout(() => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        resolve(false);
      }, waitMs);
      waiting.push(entry);
    });
    if (!granted) return undefined;
  }
  try {
    return await work();
  } finally {
    release(client);
  }
}

/**
 * How many stale tickets (with their staged uploads) a request clears on its way, the oldest first: bounded work
 * on the request path however many were left behind (each may hold megabytes that secure_delete overwrites). The
 * daily purge clears the rest a chunk at a time (server/retention/purge-chores.ts). No budget waits for them: a
 * stale ticket has expired, so it is refused before its budget is read, and a voice reply's quota clears its own
 * investigator's stale recordings first (server/cases/voice-reply.ts).
 */
export const STALE_PER_REQUEST = 16;

export function purgeSomeStale(ctx: Pick<AppContext, 'repos'>, now: number): void {
  ctx.repos.uploads.purgeStale(now, STALE_PER_REQUEST);
  drainFileDeletions(ctx, now);
}

/**
 * Deletes the bodies whose rows were deleted (db/uploads.repo.ts drainDeletions), after the deleting transaction
 * committed: the stale uploads of a request's way, a voice reply's own. A backup in progress pauses it; the next
 * call, the daily purge or the next start deletes them then.
 */
export function drainFileDeletions(ctx: Pick<AppContext, 'repos'>, now: number): void {
  ctx.repos.uploads.drainDeletions(now);
}

export async function stageUpload(ctx: AppContext, req: Request): Promise<{ uploadId: string }> {
  const header = req.headers[TICKET_HEADER];
  const ticket = verifyTicket(ctx, typeof header === 'string' ? header : undefined);
  purgeSomeStale(ctx, ctx.clock.now());
  // Counted before the body is read (and before any await): 30 simultaneous uploads under one ticket
  // cannot all pass the check, and a refused upload spends its share of the ticket like a staged one.
  ctx.repos.transaction(() => {
    assertBudget(ctx, ticket, 0);
    ctx.repos.uploads.reserve(ticket.id, ticket.purgeAfter);
  });
  return withReadSlot(clientKey(req), () => readAndStage(ctx, req, ticket));
}

async function readAndStage(ctx: AppContext, req: Request, ticket: VerifiedTicket): Promise<{ uploadId: string }> {
  const body = await readBody(req, LIMITS.uploadCiphertextBytes);
  const uploadId = randomId();
  const inspected = inspectUpload(body);
  // The body is committed in the files' file before the row that names it (db/uploads.repo.ts); not when the
  // budget already refuses it, and dropped again when the transaction refuses it after all.
  const stored = !(inspected instanceof HttpError) && !budgetProblem(ctx, ticket, body.length);
  // The bytes read cost the ticket whether the upload is then staged or refused.
  const stage = () => {
    const refusal = ctx.repos.transaction((): HttpError | undefined => {
      const over = budgetProblem(ctx, ticket, body.length);
      ctx.repos.uploads.chargeBytes(ticket.id, body.length);
      if (over) return over;
      if (inspected instanceof HttpError) return inspected;
      // A budget only grows: what passed here passed before the body was stored.
      if (!stored) throw new Error('an upload passed its budget only after its body was refused');
      ctx.repos.uploads.storeReserved({ id: uploadId, ticketId: ticket.id, keyIds: inspected.keyIds, size: body.length });
      return undefined;
    });
    if (refusal) throw refusal;
  };
  if (stored) ctx.repos.uploads.withBody(uploadId, body, stage);
  else stage();
  return { uploadId };
}

/** An upload's packet headers: an OpenPGP encrypted message, with its recipients' key ids (lowercase), or the refusal. */
export function inspectUpload(body: Uint8Array): { keyIds: string[] } | HttpError {
  const inspection = inspectMessage(body);
  if (!inspection.ok) return new HttpError(400, 'not_encrypted', `not an OpenPGP encrypted message: ${inspection.reason}`);
  if (inspection.recipientKeyIds.length > LIMITS.recipientsPerMessage) {
    return new HttpError(400, 'wrong_recipients', `too many recipients (${inspection.recipientKeyIds.length})`);
  }
  return { keyIds: inspection.recipientKeyIds.map((id) => id.toLowerCase()) };
}

/** Whether `bytes` more fit the ticket (the upload itself already counted by `reserve`). */
function budgetProblem(ctx: AppContext, ticket: VerifiedTicket, bytes: number): HttpError | undefined {
  const usage = ctx.repos.uploads.usage(ticket.id);
  if (usage.spent) return new HttpError(403, 'upload_ticket_invalid', 'this upload ticket was already used by a report');
  if (usage.bytes + bytes > LIMITS.uploadTicketBytes) {
    return new HttpError(413, 'upload_budget_exceeded', `an upload ticket allows ${LIMITS.uploadTicketBytes} bytes; get a new one`);
  }
  return undefined;
}

export function assertBudget(ctx: AppContext, ticket: VerifiedTicket, bytes: number): void {
  const usage = ctx.repos.uploads.usage(ticket.id);
  if (usage.spent) throw new HttpError(403, 'upload_ticket_invalid', 'this upload ticket was already used by a report');
  if (usage.uploads + 1 > LIMITS.uploadsPerTicket) {
    throw new HttpError(429, 'upload_budget_exceeded', `an upload ticket allows ${LIMITS.uploadsPerTicket} uploads; get a new one`);
  }
  if (usage.bytes + bytes > LIMITS.uploadTicketBytes) {
    throw new HttpError(413, 'upload_budget_exceeded', `an upload ticket allows ${LIMITS.uploadTicketBytes} bytes; get a new one`);
  }
}

/**
 * Checks the attachments of a report (or of a reporter's message, with
 * `messageId`) and moves them to its case. Must run inside the transaction
 * that stores the report or the message, so that it and every part are
 * stored together or not at all. `reportKeyIds` are the key ids of the
 * report's (or the message's) own ciphertext: each file must have exactly
 * those recipients.
 */
export function attachUploads(
  ctx: AppContext,
  input: { ticket: VerifiedTicket; uploadIds: readonly string[]; reportKeyIds: readonly string[]; caseId: string; messageId?: string },
): void {
  const { uploads } = ctx.repos;
  if (new Set(input.uploadIds).size !== input.uploadIds.length) {
    throw new HttpError(400, 'invalid_request', 'attachments: an upload is listed twice');
  }
  const expected = new Set(input.reportKeyIds.map((id) => id.toLowerCase()));
  let total = 0;
  for (const uploadId of input.uploadIds) {
    const staged = uploads.findStaged(uploadId);
    if (!staged || staged.ticketId !== input.ticket.id) {
      throw new HttpError(400, 'upload_not_found', 'an attachment was not uploaded with this ticket (or was deleted); upload it again');
    }
    const same = staged.keyIds.length === expected.size && staged.keyIds.every((id) => expected.has(id));
    if (!same) throw new HttpError(400, 'wrong_recipients', 'an attachment must be encrypted to exactly the recipients of its report or message');
    total += staged.size;
  }
  if (total > LIMITS.uploadsTotalCiphertextBytes) {
    throw new HttpError(413, 'body_too_large', 'the attachments of one report or message are too large together');
  }
  if (!uploads.spendTicket(input.ticket.id, input.ticket.spentPurgeAfter)) {
    throw new HttpError(403, 'upload_ticket_invalid', 'this upload ticket was already used by a report or a message');
  }
  for (const uploadId of input.uploadIds) uploads.attach(uploadId, input.caseId, input.messageId ?? null);
}
