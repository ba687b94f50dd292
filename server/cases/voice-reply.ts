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
 * it, and only to that case. Stale ones go with the reporters' stale uploads
 * (server/reporter/upload-stage.ts purgeStale).
 */
import type { Request } from 'express';
import { LIMITS } from '../../common/limits.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { assertEncryptedTo, type RecipientKey } from '../recipients/recipients.ts';
import { attachUploads } from '../reporter/upload-stage.ts';
import { readBody } from '../reporter/read-body.ts';
import { randomBase64Url, randomId } from '../security/secrets.ts';

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

const prefixOf = (caseId: string, investigatorId: string) => `team/${caseId}/${investigatorId}/`;

/** Reads and checks one encrypted voice reply, and stages it. Nothing is stored when a check fails. */
export async function stageVoiceReply(
  ctx: AppContext, req: Request, input: { caseId: string; investigatorId: string; recipients: readonly RecipientKey[] },
): Promise<{ uploadId: string }> {
  const body = await readBody(req, LIMITS.uploadCiphertextBytes);
  const keyIds = assertEncryptedTo(body, input.recipients);
  const now = ctx.clock.now();
  const uploadId = randomId();
  ctx.repos.transaction(() => {
    ctx.repos.uploads.purgeStale(now);
    ctx.repos.uploads.stage({
      id: uploadId,
      ticketId: prefixOf(input.caseId, input.investigatorId) + randomBase64Url(16),
      keyIds,
      size: body.length,
      body,
      // The next whole hour after an hour from now: a recording not sent by then is deleted.
      purgeAfter: Math.ceil((now + HOUR_MS) / HOUR_MS) * HOUR_MS + HOUR_MS,
    });
  });
  return { uploadId };
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
