/** `GET /api/cases/:id/export`: the case bundle (./bundle.ts), for the case's teams; audited. */
import { z } from 'zod';
import { id } from '../../common/api.ts';
import { caseForSession } from '../cases/policy.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { buildCaseBundle } from './bundle.ts';

const CaseParams = z.object({ id });

export function exportRoutes(ctx: AppContext): Route[] {
  const { repos } = ctx;
  return [
    defineRoute({
      method: 'get', path: '/api/cases/:id/export',
      summary: 'Download the case bundle: a ZIP of every ciphertext (.gpg), a manifest and a README', tag: 'cases',
      auth: 'investigator', params: CaseParams, response: null, status: 200, produces: 'octet-stream',
      handler: ({ session, params, res }) => {
        const { listing, record } = caseForSession(ctx, session, params.id);
        const teamIds = repos.cases.teamIdsOf(record.id);
        const recipients = teamIds.flatMap((teamId) => {
          const team = repos.teams.find(teamId);
          if (!team) return [];
          return [
            ...repos.investigators.activeOfTeam(teamId).map((inv) => ({
              kind: 'investigator' as const, team: team.name, name: inv.displayName, fingerprint: inv.fingerprint,
            })),
            { kind: 'recovery' as const, team: team.name, name: `recovery key of ${team.name}`, fingerprint: team.recoveryFingerprint },
          ];
        });
        const attachments = repos.uploads.listForCase(record.id).map((info) => {
          const body = repos.uploads.body(record.id, info.id);
          if (!body) throw new Error('an attachment vanished during an export');
          return { info, body };
        });
        const bundle = buildCaseBundle({
          listing, record,
          messages: repos.messages.listForCase(record.id),
          notes: repos.notes.listForCase(record.id),
          history: repos.cases.history(record.id),
          attachments, recipients,
          authorName: (investigatorId) => repos.investigators.find(investigatorId)?.displayName ?? null,
          exportedAt: new Date(ctx.clock.now()),
        });
        ctx.audit.investigator('case.exported', session.investigator.id, record.id, { files: bundle.files, bytes: bundle.zip.length });
        res.setHeader('Content-Disposition', `attachment; filename="ombud-case-${record.id.slice(0, 8)}.zip"`);
        return bundle.zip;
      },
    }),
  ];
}
