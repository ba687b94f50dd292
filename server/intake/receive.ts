/**
 * Receiving a report. In this order, cheapest and most likely to refuse
 * first: proof of work → (in one transaction from here) the challenge not
 * spent → the lookup id not taken → channel and teams → the reporter's key → the ciphertext's
 * recipients → the case, its teams, its attachments moved from staging, the
 * audit event, and the challenge spent. The 201 is sent only after that
 * transaction commits (synchronous=FULL: on disk). The commit is shared with
 * the reports that arrived in the same turn of the event loop, each in a
 * savepoint of its own (db/group-commit.ts): a refused one rolls back alone.
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
import { assertEncryptedTo, teamRecipientIds } from '../recipients/recipients.ts';
import { reporterKeyReader } from '../recipients/describe.ts';
import { attachUploads } from '../reporter/upload-stage.ts';
import { verifyTicket } from '../reporter/upload-ticket.ts';
import { withReportSolution } from '../reporter/pow-challenge.ts';

/** `lookupHash`: the keyed hash of `body.lookupId`, when the caller (./replay.ts) has made it already. */
export async function receiveReport(
  ctx: AppContext,
  body: IntakeRequest,
  lookupHash = ctx.keys.hmacHex('lookup', body.lookupId),
): Promise<IntakeReceipt> {
  // The challenge is spent inside the case's transaction, by the case's id: one transaction per report, no row of
  // its own (docs/performance.md).
  return withReportSolution(ctx, body.pow, (spendChallenge) => receiveChecked(ctx, body, lookupHash, spendChallenge));
}

async function receiveChecked(
  ctx: AppContext,
  body: IntakeRequest,
  lookupHash: string,
  spendChallenge: () => string,
): Promise<IntakeReceipt> {
  const readReporterKey = await reporterKeyReader('reporterPublicKey');
  const today = dayOf(ctx.clock.now());
  // Every check that reads the database runs in the transaction that stores the case: one transaction
  // per report instead of five (each costs more than its query: docs/performance.md), and the channel, its
  // teams and their keys cannot change between the check and the insert. A refusal rolls it back whole.
  // Reports that arrive together share the commit (db/group-commit.ts).
  const { caseId, acknowledgeByDay } = await ctx.repos.groupTransaction(() => {
    // First: a challenge already spent is refused before anything else is read. The case is stored under the
    // id it gives, which spends the challenge.
    const caseId = spendChallenge();
    // Then the lookup id: taken, this may be the same report sent again, which ./replay.ts answers with its receipt
    // whatever changed since in the channel.
    if (ctx.repos.cases.lookupHashTaken(lookupHash)) {
      throw new HttpError(409, 'token_collision', 'this case token is already in use; make a new one');
    }
    // Each row intake needs is read once, and only the columns it checks.
    // The channel, its teams and their investigators' key ids in one query (docs/performance.md).
    const offered = ctx.repos.channels.intakeTeams(body.channel);
    if (!offered) throw new HttpError(404, 'channel_not_found', 'no such intake channel');
    if (new Set(body.teamIds).size !== body.teamIds.length) {
      throw new HttpError(400, 'invalid_request', 'teamIds: a team is listed twice');
    }
    const teams = body.teamIds.map((id) => offered.find((team) => team.id === id));
    if (!teams.every((team) => team !== undefined)) {
      throw new HttpError(400, 'team_not_offered', 'this channel does not offer every chosen team');
    }

    // Read from its packets, not signature-checked: see reporterKeyReader (docs/performance.md).
    const reporterKey = readReporterKey(body.reporterPublicKey);
    decodeField('wrappedReporterKey', body.wrappedReporterKey);
    const report = decodeField('report', body.report);
    const uploadIds = body.attachments ?? [];
    // Checked before any work on the case; the uploads themselves are checked below.
    const ticket = uploadIds.length > 0 ? verifyTicket(ctx, body.uploadTicket) : undefined;
    const reportKeyIds = assertEncryptedTo(report, [
      ...teamRecipientIds(teams),
      { label: 'the reporter key', keyIds: reporterKey.encryptionKeyIds },
    ]);

    const acknowledgeBy = addDays(today, Math.min(...teams.map((t) => t.ackDays)));
    // Kept in the case row until the daily batch seals it: no pending row, an insert and 1.5 pages less.
    const receivedEvent = ctx.audit.caseReceived(caseId, today, { channel: body.channel, teams: body.teamIds.join(',') });
    ctx.repos.cases.create(
      {
        id: caseId,
        channelSlug: body.channel,
        stage: 'received',
        receivedDay: today,
        acknowledgeByDay: acknowledgeBy,
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
      receivedEvent,
    );
    if (ticket) attachUploads(ctx, { ticket, uploadIds, reportKeyIds, caseId });
    return { caseId, acknowledgeByDay: acknowledgeBy };
  });
  ctx.notify.caseReceived(caseId); // noted for the next notice; the answer never waits for (or fails with) e-mail
  return { receivedDay: today, acknowledgeByDay };
}
