/** The reporter's follow-up: read the case, write to the team. Token-derived credentials in the body only. */
import { MessageCreated, ReporterCredentials, ReporterMessageRequest, StatusView } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { dayOf } from '../clock.ts';
import { decodeField } from '../encoding.ts';
import { assertEncryptedTo, teamRecipients } from '../recipients/recipients.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { randomId } from '../security/secrets.ts';
import { findReporterCase } from './credentials.ts';
import { presentStatus } from './presenter.ts';

export function statusRoutes(ctx: AppContext): Route[] {
  const { repos } = ctx;
  return [
    defineRoute({
      method: 'post', path: '/api/status', summary: 'Read my case (reporter)', tag: 'status', auth: 'public',
      request: ReporterCredentials, response: StatusView, status: 200,
      handler: ({ req, body }) => {
        const record = findReporterCase(ctx, req, body);
        const teamKeys = teamRecipients(repos, repos.cases.teamIdsOf(record.id)).map((k) => k.armored);
        return presentStatus(record, repos.messages.listForCase(record.id), teamKeys);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/status/messages', summary: 'Write to the team (reporter, encrypted)', tag: 'status',
      auth: 'public', request: ReporterMessageRequest, response: MessageCreated, status: 201,
      handler: ({ req, body }) => {
        const record = findReporterCase(ctx, req, body);
        const ciphertext = decodeField('body', body.body);
        assertEncryptedTo(ciphertext, [
          ...teamRecipients(repos, repos.cases.teamIdsOf(record.id)),
          { label: 'the reporter key', armored: record.reporterPublicKey, keyIds: record.reporterKeyIds },
        ]);
        const day = dayOf(ctx.clock.now());
        const messageId = randomId();
        repos.transaction(() => {
          repos.messages.create({ id: messageId, caseId: record.id, author: 'reporter', investigatorId: null, day, body: ciphertext });
          repos.cases.touch(record.id, day);
          ctx.audit.reporter('case.reporter_wrote', record.id);
        });
        return { id: messageId, day };
      },
    }),
  ];
}
