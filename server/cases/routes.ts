/** The investigator's view of their team's cases: list, open, move, reply. */
import { z } from 'zod';
import {
  CaseDetail, CaseList, CaseListQuery, CaseSummary, MessageCreated, StageChangeRequest, TeamMessageRequest, UploadCreated, id,
} from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { dayOf } from '../clock.ts';
import { decodeField } from '../encoding.ts';
import { HttpError } from '../errors.ts';
import { assertEncryptedTo, teamRecipients } from '../recipients/recipients.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { randomId } from '../security/secrets.ts';
import { caseForSession, firstVisibleCases, noteRecipients, visibleCases } from './policy.ts';
import { presentDetail, presentSummary } from './presenter.ts';
import { presentCaseWork } from './work-presenter.ts';
import { planStageChange } from './stages.ts';
import { attachVoiceReply, stageVoiceReply } from './voice-reply.ts';

const CaseParams = z.object({ id });

export function caseRoutes(ctx: AppContext): Route[] {
  const { repos, audit } = ctx;
  /** Who must be able to read a reply: every investigator of the case's teams, each team's recovery key, the reporter. */
  const caseRecipients = (record: { id: string; reporterPublicKey: string; reporterKeyIds: string[] }) => [
    ...teamRecipients(repos, repos.cases.teamIdsOf(record.id)),
    { label: 'the reporter key', armored: record.reporterPublicKey, keyIds: record.reporterKeyIds },
  ];
  return [
    defineRoute({
      method: 'get', path: '/api/cases', summary: 'Cases sent to my team (query: first, for only the first N in the inbox\'s order)',
      tag: 'cases', auth: 'investigator', response: CaseList, status: 200,
      handler: ({ session, req }) => {
        const query = CaseListQuery.safeParse(req.query);
        if (!query.success) throw new HttpError(400, 'invalid_request', 'first must be a whole number from 1 to 1000');
        if (query.data.first !== undefined) {
          const { cases, total } = firstVisibleCases(ctx, session, query.data.first);
          return { cases: cases.map(presentSummary), total, complete: cases.length === total };
        }
        const cases = visibleCases(ctx, session);
        return { cases: cases.map(presentSummary), total: cases.length, complete: true };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/cases/:id', summary: 'One case: ciphertexts, thread, history', tag: 'cases',
      auth: 'investigator', params: CaseParams, response: CaseDetail, status: 200,
      handler: ({ session, params }) => {
        const { listing, record } = caseForSession(ctx, session, params.id);
        audit.investigator('case.opened', session.investigator.id, record.id);
        return {
          ...presentDetail({
            listing,
            record,
            messages: repos.messages.listForCase(record.id),
            history: repos.cases.history(record.id),
            teamKeys: teamRecipients(repos, repos.cases.teamIdsOf(record.id)).map((k) => k.armored),
            attachments: repos.uploads.listForCase(record.id),
          }),
          ...presentCaseWork({
            notes: repos.notes.listForCase(record.id),
            noteKeys: noteRecipients(ctx, record.id).map((k) => k.armored),
            risk: repos.caseWork.risk(record.id),
            exclusions: repos.caseWork.exclusions(record.id),
          }),
        };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/stage', summary: 'Move a case to a later stage', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: StageChangeRequest, response: CaseSummary, status: 200,
      handler: ({ session, params, body }) => {
        const { listing } = caseForSession(ctx, session, params.id);
        const today = dayOf(ctx.clock.now());
        const reason = body.reason?.trim() || null;
        const effects = planStageChange(listing, body.stage, reason, today, body.outcome ?? null);
        const changed = repos.transaction(() => {
          const won = repos.cases.changeStage({
            caseId: listing.id, from: listing.stage, to: body.stage, day: today, reason,
            investigatorId: session.investigator.id, ...effects,
          });
          if (won) {
            audit.investigator('case.stage_changed', session.investigator.id, listing.id, {
              from: listing.stage, to: body.stage, ...(effects.outcome ? { outcome: effects.outcome } : {}),
            });
          }
          return won;
        });
        if (!changed) throw new HttpError(409, 'conflict', 'someone else changed this case; reload it');
        const updated = repos.caseLists.findForTeam(listing.id, session.team.id);
        if (!updated) throw new Error('case vanished during a stage change');
        return presentSummary(updated);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/messages', summary: 'Reply to the reporter (encrypted)', tag: 'cases',
      auth: 'investigator', params: CaseParams, request: TeamMessageRequest, response: MessageCreated, status: 201,
      // assertEncryptedTo: the ciphertext must be encrypted to exactly the case's recipients; the voice reply's
      // attachment (./voice-reply.ts): staged by this investigator for this case, to the message's recipients.
      errorCodes: ['not_encrypted', 'wrong_recipients', 'upload_not_found', 'upload_ticket_invalid'],
      handler: ({ session, params, body }) => {
        const { record } = caseForSession(ctx, session, params.id);
        const ciphertext = decodeField('body', body.body);
        const messageKeyIds = assertEncryptedTo(ciphertext, caseRecipients(record));
        const day = dayOf(ctx.clock.now());
        const messageId = randomId();
        repos.transaction(() => {
          repos.messages.create({
            id: messageId, caseId: record.id, author: 'team', investigatorId: session.investigator.id, day, body: ciphertext,
          });
          if (body.voice) {
            attachVoiceReply(ctx, { uploadId: body.voice, caseId: record.id, investigatorId: session.investigator.id, messageId, messageKeyIds });
          }
          repos.cases.touch(record.id, day);
          audit.investigator('case.replied', session.investigator.id, record.id);
        });
        return { id: messageId, day };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/voice',
      summary: 'Stage an encrypted voice reply (raw OpenPGP), then send it with POST /api/cases/:id/messages',
      tag: 'cases', auth: 'investigator', params: CaseParams, consumes: 'octet-stream', response: UploadCreated, status: 201,
      // Encrypted to exactly the case's recipients, like a written reply; the body read as uploads are.
      errorCodes: ['not_encrypted', 'wrong_recipients', 'upload_stalled', 'upload_too_slow', 'voice_quota_exceeded'],
      handler: async ({ session, params, req }) => {
        const { record } = caseForSession(ctx, session, params.id);
        return stageVoiceReply(ctx, req, { caseId: record.id, investigatorId: session.investigator.id, recipients: caseRecipients(record) });
      },
    }),
  ];
}
