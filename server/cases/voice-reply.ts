/**
 * A team's voice reply (docs/protocol.md, "v2: Voice replies from the team"):
 * the investigator's browser records, disguises and encrypts the sound to
 * exactly the case's recipients (every investigator of its teams, each
 * team's recovery key, the reporter key) — the same keys as a written reply —
 * and stages it here; the reply message that names it (inside its own
 * ciphertext) then attaches it in the message's transaction.
 *
 * Staged voice replies reuse the reporter's staging table: the "ticket" of
 * one is `team/<case id>/<investigator id>/<random>`, made here and never
 * shown to anyone, so that only the investigator who recorded it can attach
 * it, and only to that case. An investigator's own stale recordings are
 * deleted before their quota is counted; the others go with the reporters'
 * stale uploads (server/reporter/upload-stage.ts purgeSomeStale).
 *
 * One investigator holds at most LIMITS.voiceRepliesStaged unsent recordings
 * (LIMITS.voiceRepliesStagedBytes together), counting those still being read:
 * the place is taken before the body is read, so 30 recordings sent at once
 * cannot all pass the check (429 `voice_quota_exceeded`; test: ./voice-reply.test.ts).
 * The body is read in an upload read slot, as a reporter's upload is.
 */
import type { Request } from 'express';
import { LIMITS } from '../../common/limits.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { assertEncryptedTo, type RecipientKey } from '../recipients/recipients.ts';
import { attachUploads, drainFileDeletions, purgeSomeStale, withReadSlot } from '../reporter/upload-stage.ts';
import { clientKey } from '../security/throttle.ts';
import { readBody } from '../reporter/read-body.ts';
import { randomBase64Url, randomId } from '../security/secrets.ts';

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

const prefixOf = (caseId: string, investigatorId: string) => `team/${caseId}/${investigatorId}/`;

/** Recordings being read now, by investigator: counted with the staged ones. */
const inFlight = new Map<string, number>();

function quotaExceeded(what: string): HttpError {
  return new HttpError(429, 'voice_quota_exceeded', `you have ${what} recorded and not sent; send or wait for them to expire (within two hours)`);
}

/** Reads and checks one encrypted voice reply, and stages it. Nothing is stored when a check fails. */
export async function stageVoiceReply(
  ctx: AppContext, req: Request, input: { caseId: string; investigatorId: string; recipients: readonly RecipientKey[] },
): Promise<{ uploadId: string }> {
  const pattern = `team/*/${input.investigatorId}/*`;
  // This investigator's stale recordings first, all of them (at most their quota): their place is free again.
  const arrived = ctx.clock.now();
  ctx.repos.uploads.purgeStaleUnder(pattern, arrived);
  purgeSomeStale(ctx, arrived);
  // Checked and taken with no await in between: the next request sees this one.
  const reading = inFlight.get(input.investigatorId) ?? 0;
  if (ctx.repos.uploads.stagedUnder(pattern).count + reading >= LIMITS.voiceRepliesStaged) {
    throw quotaExceeded(`${LIMITS.voiceRepliesStaged} voice replies`);
  }
  inFlight.set(input.investigatorId, reading + 1);
  try {
    const body = await withReadSlot(clientKey(req), () => readBody(req, LIMITS.uploadCiphertextBytes));
    const keyIds = assertEncryptedTo(body, input.recipients);
    const now = ctx.clock.now();
    const uploadId = randomId();
    // The body first, committed in the files' file; the row that names it after (db/uploads.repo.ts).
    try {
      ctx.repos.uploads.withBody(uploadId, body, () => ctx.repos.transaction(() => {
        ctx.repos.uploads.purgeStaleUnder(pattern, now);
        if (ctx.repos.uploads.stagedUnder(pattern).bytes + body.length > LIMITS.voiceRepliesStagedBytes) {
          throw quotaExceeded(`${Math.round(LIMITS.voiceRepliesStagedBytes / 1024 / 1024)} MiB of voice replies`);
        }
        ctx.repos.uploads.stage({
          id: uploadId,
          ticketId: prefixOf(input.caseId, input.investigatorId) + randomBase64Url(16),
          keyIds,
          size: body.length,
          // The next whole hour after an hour from now: a recording not sent by then is deleted.
          purgeAfter: Math.ceil((now + HOUR_MS) / HOUR_MS) * HOUR_MS + HOUR_MS,
        });
      }));
    } finally {
      // The stale recordings deleted above leave their bodies to the queue.
      drainFileDeletions(ctx, now);
    }
    return { uploadId };
  } finally {
    const left = (inFlight.get(input.investigatorId) ?? 1) - 1;
    if (left > 0) inFlight.set(input.investigatorId, left);
    else inFlight.delete(input.investigatorId);
  }
}

/**
 * Attaches a staged voice reply to the message `messageId` (call inside the
 * message's transaction): it must be this investigator's, for this case, and
 * encrypted to exactly the message's own recipients `messageKeyIds`.
 */
export function attachVoiceReply(
  ctx: AppContext, input: { uploadId: string; caseId: string; investigatorId: string; messageId: string; messageKeyIds: readonly string[] },
): void {
  const staged = ctx.repos.uploads.findStaged(input.uploadId);
  if (!staged || !staged.ticketId.startsWith(prefixOf(input.caseId, input.investigatorId))) {
    throw new HttpError(400, 'upload_not_found', 'no voice reply of yours for this case has this id (or it was deleted); record it again');
  }
  attachUploads(ctx, {
    ticket: { id: staged.ticketId, expiresAt: 0, purgeAfter: 0, spentPurgeAfter: Math.ceil((ctx.clock.now() + DAY_MS) / DAY_MS) * DAY_MS },
    uploadIds: [input.uploadId],
    reportKeyIds: input.messageKeyIds,
    caseId: input.caseId,
    messageId: input.messageId,
  });
}
