/**
 * The reporter's follow-up: read the case, write to the team. Token-derived
 * credentials in the body only.
 *
 * Every message is encrypted; its kind (a plain message, a meeting request,
 * an answer to a transcript…) is inside the ciphertext. Two kinds go to
 * their own endpoint because the server must act on them, and so learns
 * that they were sent (docs/threat-model.md): retaliation (the case becomes
 * urgent for the team) and the one satisfaction answer after closure.
 *
 * A plain reply may carry files and a voice message: uploaded encrypted
 * beforehand under an upload ticket, like a report's, and moved to the case
 * in the same transaction as the message (docs/protocol.md, “Attachments”).
 */
import { MessageCreated, ReporterCredentials, ReporterMessageRequest, ReporterReplyRequest, StatusBindRequest, StatusView } from '../../common/api.ts';
import type { CaseRecord } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { dayOf } from '../clock.ts';
import { decodeField } from '../encoding.ts';
import { HttpError } from '../errors.ts';
import { assertEncryptedTo, teamRecipients } from '../recipients/recipients.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { randomId } from '../security/secrets.ts';
import { attachUploads } from '../reporter/upload-stage.ts';
import { verifyTicket } from '../reporter/upload-ticket.ts';
import { findReporterCase } from '../reporter/credentials.ts';
import { presentStatus } from './presenter.ts';

/** findReporterCase: wrong credentials, and their per-address throttle. */
const CREDENTIAL_CODES = ['case_not_found', 'too_many_attempts'] as const;
/** storeReporterMessage: the message must be encrypted to exactly the case's recipients. */
const RECIPIENT_CODES = ['not_encrypted', 'wrong_recipients'] as const;

export function statusRoutes(ctx: AppContext): Route[] {
  const { repos } = ctx;

  /**
   * Checks the recipients and stores the message; `alsoInTransaction` runs in
   * the same transaction, with the message's id and its recipients' key ids.
   */
  function storeReporterMessage(
    record: CaseRecord, body: string, alsoInTransaction: (day: string, messageId: string, keyIds: string[]) => void,
  ): MessageCreated & { replayed: boolean } {
    const ciphertext = decodeField('body', body);
    const keyIds = assertEncryptedTo(ciphertext, [
      ...teamRecipients(repos, repos.cases.teamIdsOf(record.id)),
      { label: 'the reporter key', armored: record.reporterPublicKey, keyIds: record.reporterKeyIds },
    ]);
    const day = dayOf(ctx.clock.now());
    const messageId = randomId();
    return repos.transaction(() => {
      // The same ciphertext again is the same send whose answer was lost: its message, nothing stored or done twice.
      const earlier = repos.messages.findSameFromReporter(record.id, ciphertext);
      if (earlier) return { ...earlier, replayed: true };
      repos.messages.create({ id: messageId, caseId: record.id, author: 'reporter', investigatorId: null, day, body: ciphertext });
      repos.cases.touch(record.id, day);
      alsoInTransaction(day, messageId, keyIds);
      return { id: messageId, day, replayed: false };
    });
  }

  /** The case's teams as the status page checks them (the same keys as teamRecipients: active investigators, then the recovery key). */
  function caseTeams(caseId: string): StatusView['teams'] {
    return repos.cases.teamIdsOf(caseId).flatMap((teamId) => {
      const team = repos.teams.find(teamId);
      if (!team) return [];
      return [{ id: team.id, recoveryKey: team.recoveryPublicKey, investigatorKeys: repos.investigators.activeOfTeam(teamId).map((inv) => inv.publicKey) }];
    });
  }

  return [
    defineRoute({
      method: 'post', path: '/api/status', summary: 'Read my case (reporter)', tag: 'status', auth: 'public',
      request: ReporterCredentials, response: StatusView, status: 200,
      errorCodes: CREDENTIAL_CODES,
      handler: ({ req, body }) => {
        const record = findReporterCase(ctx, req, body);
        return presentStatus(
          record, repos.messages.listForCase(record.id), caseTeams(record.id), repos.cases.followUp(record.id), repos.uploads.listForCase(record.id),
        );
      },
    }),
    defineRoute({
      method: 'post', path: '/api/status/bind',
      summary: 'Bind a case made before protocol v2, on its first visit (reporter); accepted once', tag: 'status',
      auth: 'public', request: StatusBindRequest, response: StatusView, status: 200,
      errorCodes: CREDENTIAL_CODES,
      handler: ({ req, body }) => {
        const record = findReporterCase(ctx, req, body);
        decodeField('wrappedReporterKey', body.wrappedReporterKey);
        if (record.statusBinding || !repos.cases.bindStatus(record.id, body.statusBinding, body.wrappedReporterKey)) {
          throw new HttpError(409, 'already_bound', 'this case is bound already');
        }
        const bound = { ...record, statusBinding: body.statusBinding, wrappedReporterKey: body.wrappedReporterKey };
        return presentStatus(
          bound, repos.messages.listForCase(record.id), caseTeams(record.id), repos.cases.followUp(record.id), repos.uploads.listForCase(record.id),
        );
      },
    }),
    defineRoute({
      method: 'post', path: '/api/status/messages', summary: 'Write to the team (reporter, encrypted)', tag: 'status',
      auth: 'public', request: ReporterReplyRequest, response: MessageCreated, status: 201,
      // A reply's attachments are checked against the upload ticket (../reporter/upload-stage.ts).
      errorDomains: ['uploads'],
      errorCodes: [...CREDENTIAL_CODES, ...RECIPIENT_CODES],
      handler: ({ req, body }) => {
        const record = findReporterCase(ctx, req, body);
        const uploadIds = body.attachments ?? [];
        // Like the intake: the ticket is checked first, the files in the message's transaction
        // (each staged under this ticket, encrypted to exactly the message's recipients).
        const ticket = uploadIds.length > 0 ? verifyTicket(ctx, body.uploadTicket) : undefined;
        const { replayed, ...created } = storeReporterMessage(record, body.body, (_day, messageId, keyIds) => {
          if (ticket) attachUploads(ctx, { ticket, uploadIds, reportKeyIds: keyIds, caseId: record.id, messageId });
          ctx.audit.reporter('case.reporter_wrote', record.id);
        });
        if (!replayed) ctx.notify.reporterWrote(record.id); // noted after the commit, sent later; never fails the request
        return created;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/status/retaliation',
      summary: 'Report retaliation on my case (reporter, encrypted); marks the case urgent for the team', tag: 'status',
      auth: 'public', request: ReporterMessageRequest, response: MessageCreated, status: 201,
      errorCodes: [...CREDENTIAL_CODES, ...RECIPIENT_CODES],
      handler: ({ req, body }) => {
        const record = findReporterCase(ctx, req, body);
        const { replayed, ...created } = storeReporterMessage(record, body.body, (day) => {
          repos.cases.markUrgent(record.id, day);
          ctx.audit.reporter('case.retaliation_reported', record.id);
        });
        if (!replayed) ctx.notify.retaliationReported(record.id); // noted after the commit, sent later; never fails the request
        return created;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/status/satisfaction',
      summary: 'Answer the one question after closure (reporter, encrypted); accepted once', tag: 'status',
      auth: 'public', request: ReporterMessageRequest, response: MessageCreated, status: 201,
      errorCodes: [...CREDENTIAL_CODES, ...RECIPIENT_CODES],
      handler: ({ req, body }) => {
        const record = findReporterCase(ctx, req, body);
        if (record.stage !== 'closed') throw new HttpError(409, 'case_not_closed', 'the question is asked once the case is closed');
        if (repos.cases.followUp(record.id).satisfactionGiven) {
          throw new HttpError(409, 'already_answered', 'this question was already answered');
        }
        const { id, day } = storeReporterMessage(record, body.body, () => {
          // Compare-and-set inside the transaction: of two answers sent at once, one is stored.
          if (!repos.cases.recordSatisfaction(record.id)) throw new HttpError(409, 'already_answered', 'this question was already answered');
          ctx.audit.reporter('case.satisfaction_given', record.id);
        });
        return { id, day };
      },
    }),
  ];
}
