/**
 * Receiving a report. In this order, cheapest and most likely to refuse
 * first: proof of work → channel and teams → the reporter's key → the
 * ciphertext's recipients → one transaction (the spent challenge, case, its teams, its history,
 * its attachments moved from staging, the audit event). The 201 is sent only after that transaction commits
 * (synchronous=FULL: on disk).
 *
 * Stored: the ciphertext, the reporter's public key and wrapped private key,
 * keyed hashes of the lookup id and verifier, and the day. Not the token, not
 * the credentials themselves, not the time.
 */
import type { IntakeReceipt, IntakeRequest } from '../../common/api.ts';
import { addDays, dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { decodeField } from '../encoding.ts';
import { HttpError } from '../errors.ts';
import { assertEncryptedTo, teamRecipients } from '../recipients/recipients.ts';
import { describeReporterKey } from '../recipients/describe.ts';
import { randomId } from '../security/secrets.ts';
import { attachUploads } from '../reporter/upload-stage.ts';
import { verifyTicket } from '../reporter/upload-ticket.ts';
import { withSolution } from '../reporter/pow-challenge.ts';

export async function receiveReport(ctx: AppContext, body: IntakeRequest): Promise<IntakeReceipt> {
  // The challenge is spent inside the case's transaction: one commit per report (docs/performance.md).
  return withSolution(ctx, body.pow, (spendChallenge) => receiveChecked(ctx, body, spendChallenge));
}

async function receiveChecked(ctx: AppContext, body: IntakeRequest, spendChallenge: () => void): Promise<IntakeReceipt> {
  const channel = ctx.repos.channels.find(body.channel);
  if (!channel) throw new HttpError(404, 'channel_not_found', 'no such intake channel');
  if (new Set(body.teamIds).size !== body.teamIds.length) {
    throw new HttpError(400, 'invalid_request', 'teamIds: a team is listed twice');
  }
  if (body.teamIds.some((id) => !channel.teamIds.includes(id))) {
    throw new HttpError(400, 'team_not_offered', 'this channel does not offer every chosen team');
  }
  const teams = body.teamIds.map((id) => ctx.repos.teams.find(id)).filter((t) => t !== undefined);

  // Read from its packets, not signature-checked: see describeReporterKey (docs/performance.md).
  const reporterKey = await describeReporterKey('reporterPublicKey', body.reporterPublicKey);
  decodeField('wrappedReporterKey', body.wrappedReporterKey);
  const report = decodeField('report', body.report);
  const uploadIds = body.attachments ?? [];
  // Checked before any work on the case; the uploads themselves are checked in the transaction.
  const ticket = uploadIds.length > 0 ? verifyTicket(ctx, body.uploadTicket) : undefined;
  const reportKeyIds = assertEncryptedTo(report, [
    ...teamRecipients(ctx.repos, body.teamIds),
    { label: 'the reporter key', armored: body.reporterPublicKey, keyIds: reporterKey.encryptionKeyIds },
  ]);

  const today = dayOf(ctx.clock.now());
  const acknowledgeByDay = addDays(today, Math.min(...teams.map((t) => t.ackDays)));
  const lookupHash = ctx.keys.hmacHex('lookup', body.lookupId);
  const caseId = randomId();
  ctx.repos.transaction(() => {
    spendChallenge();
    if (ctx.repos.cases.lookupHashTaken(lookupHash)) {
      throw new HttpError(409, 'token_collision', 'this case token is already in use; make a new one');
    }
    ctx.repos.cases.create(
      {
        id: caseId,
        channelSlug: channel.slug,
        stage: 'received',
        receivedDay: today,
        acknowledgeByDay,
        feedbackMonths: Math.min(...teams.map((t) => t.feedbackMonths)),
        acknowledgedDay: null,
        closedDay: null,
        lastActivityDay: today,
        lookupHash,
        verifierHash: ctx.keys.hmacHex('verifier', body.verifier),
        reporterPublicKey: body.reporterPublicKey,
        reporterKeyIds: reporterKey.encryptionKeyIds,
        wrappedReporterKey: body.wrappedReporterKey,
        report,
        statusBinding: body.statusBinding ?? null, // opaque: only the reporter's browser can check it
      },
      body.teamIds,
    );
    if (ticket) attachUploads(ctx, { ticket, uploadIds, reportKeyIds, caseId });
    ctx.audit.reporter('case.received', caseId, { channel: channel.slug, teams: body.teamIds.join(',') });
  });
  ctx.notify.caseReceived(caseId); // noted for the next notice; the answer never waits for (or fails with) e-mail
  return { receivedDay: today, acknowledgeByDay };
}
