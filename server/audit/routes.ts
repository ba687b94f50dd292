/**
 * Reading the audit trail: a page of events (administrators see every event;
 * an investigator sees the events of their team's cases and their own;
 * nobody sees the events of a case they are excluded from) and
 * a check of the whole hash chain (db/audit.repo.ts).
 */
import { AuditChainCheck, AuditPage, AuditPageQuery, type AuditEventView } from '../../common/api.ts';
import type { AuditEvent } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { assertAdmitted } from '../auth/policy.ts';
import { HttpError } from '../errors.ts';
import { defineRoute, type Route } from '../routing/route.ts';

export function auditRoutes(ctx: AppContext): Route[] {
  const { repos } = ctx;
  const present = (events: AuditEvent[]): AuditEventView[] => {
    const names = new Map<string, string | null>();
    const nameOf = (investigatorId: string | null) => {
      if (investigatorId === null) return null;
      if (!names.has(investigatorId)) names.set(investigatorId, repos.investigators.find(investigatorId)?.displayName ?? null);
      return names.get(investigatorId) ?? null;
    };
    return events.map((e) => ({
      seq: e.seq, day: e.day, at: e.at, actor: e.actor, actorName: nameOf(e.investigatorId),
      caseId: e.caseId, action: e.action, detail: e.detail,
    }));
  };
  return [
    defineRoute({
      method: 'get', path: '/api/audit', summary: 'A page of the audit trail, newest first (query: before, limit)', tag: 'audit',
      auth: 'investigator', response: AuditPage, status: 200,
      handler: ({ session, req }) => {
        assertAdmitted(session); // a pending member would read the team's case ids and events
        const query = AuditPageQuery.safeParse(req.query);
        if (!query.success) throw new HttpError(400, 'invalid_request', 'before and limit must be positive whole numbers (limit at most 500)');
        const { investigator, team } = session;
        const events = repos.audit.page({
          before: query.data.before ?? null,
          limit: query.data.limit,
          // Administrators see their own team's cases and people, never another team's — running the deployment
          // adds only events of no team (tests/security/teams-apart.test.ts found them reading everything).
          viewer: {
            investigatorId: investigator.id, teamId: team.id,
            ...(investigator.role === 'admin' ? { admin: team.runsDeployment ? 'deployment' as const : 'team' as const } : {}),
          },
        });
        const last = events.at(-1);
        return { events: present(events), nextBefore: events.length === query.data.limit && last ? last.seq : null };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/audit/verify', summary: 'Recompute the hash chain of the whole audit trail', tag: 'audit',
      auth: 'investigator', response: AuditChainCheck, status: 200,
      handler: () => {
        const check = repos.audit.verify();
        return check.ok ? { ok: true, checked: check.count } : { ok: false, checked: check.brokenAt - 1, brokenAt: check.brokenAt };
      },
    }),
  ];
}
