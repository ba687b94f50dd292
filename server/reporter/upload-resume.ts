/**
 * Resumable uploads (docs/protocol.md "v2: idempotent sends and resumable
 * uploads"): a 20 MB file over a link that drops every few seconds arrives
 * whole, and a cut costs at most one PATCH (LIMITS.uploadPatchBytes) of bytes
 * sent twice: the copy Chromium sends again by itself, refused below.
 *
 *   POST  /api/uploads/resumable   X-Ombud-Upload-Length, X-Ombud-Upload-Digest (SHA-256 hex of the
 *                                  whole ciphertext), ticket header → 201 { uploadId, offset: 0, … }
 *   GET   /api/uploads/:uploadId   ticket header → { offset, length, complete }: what the server holds
 *   PATCH /api/uploads/:uploadId   X-Ombud-Upload-Offset (must equal what the server holds), the same
 *                                  digest header, the bytes from there on → { offset, complete }
 *
 * The ticket's budget (one upload, `length` bytes) is charged when the upload
 * is opened, so a resumed upload costs no more than a whole one and quotas
 * hold however often it resumes. Bytes are stored in pieces as they arrive
 * (every PIECE_BYTES, and whatever arrived when the connection is cut), each
 * in a transaction that checks the offset, so two tries at once cannot both
 * write. Only when every byte is there, the SHA-256 of the whole equals the
 * declared one and the packets are an OpenPGP encrypted message is it staged
 * (same id), in the same transaction as its last piece: a refused last piece
 * leaves the earlier ones as they were, and an upload not complete cannot be
 * attached to a report or a message (./upload-stage.ts attachUploads).
 *
 * Reading goes through the same per-client read slots as a whole upload
 * (./upload-stage.ts), and the same idle and minimum-rate limits (./read-body.ts).
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { UploadState } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import type { PartialUpload } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomId } from '../security/secrets.ts';
import { clientKey } from '../security/throttle.ts';
import { readBody, UPLOAD_IDLE_MS, UPLOAD_MIN_BYTES_PER_SECOND, UPLOAD_RATE_GRACE_MS } from './read-body.ts';
import { assertBudget, inspectUpload, purgeSomeStale, withReadSlot, withReadSlotWithin } from './upload-stage.ts';
import { TICKET_HEADER, verifyTicket, type VerifiedTicket } from './upload-ticket.ts';

export const LENGTH_HEADER = 'x-ombud-upload-length';
export const OFFSET_HEADER = 'x-ombud-upload-offset';
export const DIGEST_HEADER = 'x-ombud-upload-digest';
/** Bytes kept in memory before they are stored as one piece. */
export const PIECE_BYTES = 256 * 1024;

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

function ticketOf(ctx: AppContext, req: Request): VerifiedTicket {
  return verifyTicket(ctx, header(req, TICKET_HEADER));
}

function declaredDigest(req: Request): string {
  const digest = header(req, DIGEST_HEADER)?.toLowerCase();
  if (!digest || !/^[0-9a-f]{64}$/.test(digest)) {
    throw new HttpError(400, 'invalid_request', `${DIGEST_HEADER}: the SHA-256 of the whole upload, 64 hex digits`);
  }
  return digest;
}

function integerHeader(req: Request, name: string): number {
  const text = header(req, name);
  if (!text || !/^\d{1,10}$/.test(text)) throw new HttpError(400, 'invalid_request', `${name}: a whole number of bytes`);
  return Number(text);
}

export function openResumableUpload(ctx: AppContext, req: Request): UploadState {
  const ticket = ticketOf(ctx, req);
  const length = integerHeader(req, LENGTH_HEADER);
  if (length === 0) throw new HttpError(400, 'invalid_request', `${LENGTH_HEADER}: an upload holds at least one byte`);
  if (length > LIMITS.uploadCiphertextBytes) {
    throw new HttpError(413, 'body_too_large', `an upload may hold at most ${LIMITS.uploadCiphertextBytes} bytes`);
  }
  const digest = declaredDigest(req);
  purgeSomeStale(ctx, ctx.clock.now());
  const uploadId = randomId();
  ctx.repos.transaction(() => {
    assertBudget(ctx, ticket, length);
    ctx.repos.uploads.reserve(ticket.id, ticket.purgeAfter);
    ctx.repos.uploads.chargeBytes(ticket.id, length);
    ctx.repos.uploads.openPartial({ id: uploadId, ticketId: ticket.id, length, digest, received: 0 });
  });
  return { uploadId, offset: 0, length, complete: false };
}

/**
 * Bodies being read, by upload id. A browser whose connection was cut asks at once what the server
 * holds; the server may not have seen the end of that body yet. The answer waits for it, so the offset
 * given is final and the browser never sends bytes the server was about to store.
 */
const receiving = new Map<string, { req: Request; reading: Promise<unknown> }>();
/**
 * How long a new try waits for the body before it. A phone's dead connection is noticed only after the
 * idle limit (30 s); the phone that asks again has given up on it, so after this grace the old body is
 * ended here (what arrived of it is stored) and the new try goes on from there.
 */
export const SUPERSEDE_AFTER_MS = 2_000;

async function settled(uploadId: string): Promise<void> {
  const earlier = receiving.get(uploadId);
  if (!earlier) return;
  const done = earlier.reading.then(() => true, () => true);
  const waited = await Promise.race([done, new Promise<false>((resolve) => setTimeout(() => resolve(false), SUPERSEDE_AFTER_MS).unref())]);
  if (!waited && receiving.get(uploadId) === earlier) earlier.req.destroy();
  await done;
}

/** What the server holds of an upload of this ticket. */
export async function resumableUploadState(ctx: AppContext, req: Request, uploadId: string): Promise<UploadState> {
  const ticket = ticketOf(ctx, req);
  await settled(uploadId);
  return stateOf(ctx, ticket, uploadId);
}

function stateOf(ctx: AppContext, ticket: VerifiedTicket, uploadId: string): UploadState {
  const partial = ctx.repos.uploads.findPartial(uploadId);
  if (partial && partial.ticketId === ticket.id) return { uploadId, offset: partial.received, length: partial.length, complete: false };
  const staged = ctx.repos.uploads.stagedSize(uploadId);
  if (staged && staged.ticketId === ticket.id) return { uploadId, offset: staged.size, length: staged.size, complete: true };
  throw new HttpError(404, 'upload_unknown', 'no upload in progress under this id and ticket; start it again');
}

export async function appendToUpload(ctx: AppContext, req: Request, uploadId: string): Promise<UploadState> {
  const ticket = ticketOf(ctx, req);
  const offset = integerHeader(req, OFFSET_HEADER);
  const digest = declaredDigest(req);
  await settled(uploadId);
  const state = stateOf(ctx, ticket, uploadId);
  const partial = ctx.repos.uploads.findPartial(uploadId);
  const close = { Connection: 'close' }; // after dropBody, or instead of reading a longer body
  if ((partial?.digest ?? digest) !== digest) {
    await dropBody(req);
    throw new HttpError(409, 'upload_changed', 'this upload was started with other content; start a new upload for this file', close);
  }
  if (offset !== state.offset) {
    await dropBody(req);
    throw new HttpError(409, 'upload_offset_mismatch', `the server holds ${state.offset} bytes of this upload; continue from there`, {
      ...close, 'X-Ombud-Upload-Offset': String(state.offset),
    });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && offset + Number(declared) > state.length) {
    throw new HttpError(413, 'upload_length_exceeded', `this upload was declared with ${state.length} bytes`, close);
  }
  if (state.complete || !partial) return state;
  if (receiving.has(uploadId)) {
    await dropBody(req);
    throw new HttpError(409, 'upload_offset_mismatch', 'another try of this upload is being received; ask where it stands', close);
  }
  const reading = withReadSlot(clientKey(req), () => receive(ctx, req, partial));
  const entry = { req, reading };
  receiving.set(uploadId, entry);
  try {
    return await reading;
  } finally {
    if (receiving.get(uploadId) === entry) receiving.delete(uploadId);
  }
}

/**
 * Reads and drops the body of a PATCH about to be refused, if it is at most one browser PATCH
 * (LIMITS.uploadPatchBytes). A server that answers and closes while the browser still sends makes the
 * kernel reset the connection: the browser never sees the answer, and Chromium sends the same PATCH again
 * on another connection, each time at the cost of the worker's data. A longer body is not read; the
 * refusal's Connection: close ends it either way.
 *
 * The read takes a read slot like every other body (./upload-stage.ts), with the same idle and
 * minimum-rate limits (./read-body.ts): unslotted, 30 refused PATCHes trickling a byte every 5 s were
 * all read at once, each for as long as it trickled. A PATCH that finds no slot within
 * SLOT_WAIT_TO_DROP_MS is refused unread (at worst a reset for a browser that sends again anyway);
 * test: server/uploads/slots.test.ts "reads the bodies of 30 refused PATCHes in read slots…".
 */
export const SLOT_WAIT_TO_DROP_MS = 1_000;
async function dropBody(req: Request): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (!(declared <= LIMITS.uploadPatchBytes)) return;
  await withReadSlotWithin(clientKey(req), SLOT_WAIT_TO_DROP_MS, async () => {
    await readBody(req, LIMITS.uploadPatchBytes).catch(() => undefined); // cut off or too slow: the answer says close
  });
}

async function receive(ctx: AppContext, req: Request, partial: PartialUpload): Promise<UploadState> {
  const { uploads } = ctx.repos;
  let at = partial.received;
  let buffered: Buffer[] = [];
  let size = 0;
  const take = (): Buffer | undefined => {
    if (size === 0) return undefined;
    const piece = Buffer.concat(buffered, size);
    buffered = [];
    size = 0;
    return piece;
  };
  const store = (piece: Buffer | undefined): void => {
    if (!piece) return;
    if (!uploads.appendPiece(partial.id, at, piece)) {
      throw new HttpError(409, 'upload_offset_mismatch', 'another try of this upload stored these bytes first; ask where it stands');
    }
    at += piece.length;
  };
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      req.destroy();
    }, UPLOAD_IDLE_MS);
  };
  const started = performance.now();
  let read = 0;
  try {
    watch();
    for await (const chunk of req as AsyncIterable<Buffer>) {
      watch();
      read += chunk.length;
      if (at + size + chunk.length > partial.length) {
        req.pause();
        buffered = []; // the bytes of this try past what was stored are dropped, not stored in part
        size = 0;
        throw new HttpError(413, 'upload_length_exceeded', `this upload was declared with ${partial.length} bytes`, { Connection: 'close' });
      }
      buffered.push(chunk);
      size += chunk.length;
      if (size >= PIECE_BYTES) ctx.repos.transaction(() => store(take()));
      const elapsed = performance.now() - started;
      if (elapsed >= UPLOAD_RATE_GRACE_MS && read < (UPLOAD_MIN_BYTES_PER_SECOND * elapsed) / 1000) {
        req.pause();
        ctx.repos.transaction(() => store(take())); // what arrived stays; the next try continues after it
        throw new HttpError(408, 'upload_too_slow', 'the upload arrived too slowly; continue it', { Connection: 'close' });
      }
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // Cut off: what arrived is kept, so the next try sends only the rest.
    ctx.repos.transaction(() => store(take()));
    if (stalled) throw new HttpError(408, 'upload_stalled', `nothing arrived for ${Math.round(UPLOAD_IDLE_MS / 1000)} seconds; continue the upload`);
    throw new HttpError(400, 'invalid_request', 'the upload was interrupted; continue it');
  } finally {
    clearTimeout(timer);
  }
  const last = take();
  if (at + (last?.length ?? 0) < partial.length) {
    ctx.repos.transaction(() => store(last));
    return { uploadId: partial.id, offset: at, length: partial.length, complete: false };
  }
  // The whole upload: checked before anything of this try is stored, so a refusal leaves the earlier pieces as they
  // were. Its body is committed in the files' file first, then the last piece, the staging and the end of the partial
  // upload in one transaction (db/uploads.repo.ts); if that does not commit, the body is dropped again.
  const earlier = uploads.partialBody(partial.id);
  const body = last ? Buffer.concat([earlier, last]) : earlier;
  if (createHash('sha256').update(body).digest('hex') !== partial.digest) {
    throw new HttpError(400, 'upload_digest_mismatch', 'the bytes received do not match the upload’s declared SHA-256; start a new upload');
  }
  const inspected = inspectUpload(body);
  if (inspected instanceof HttpError) throw inspected;
  uploads.withBody(partial.id, body, () => ctx.repos.transaction(() => {
    store(last);
    uploads.storeReserved({ id: partial.id, ticketId: partial.ticketId, keyIds: inspected.keyIds, size: body.length });
    uploads.dropPartial(partial.id);
  }));
  return { uploadId: partial.id, offset: body.length, length: body.length, complete: true };
}
