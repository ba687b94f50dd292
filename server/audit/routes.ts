/**
 * Reading the audit trail: a page of events (administrators see every event;
 * an investigator sees the events of their team's cases and their own;
 * nobody sees the events of a case they are excluded from) and
 * a check of the whole hash chain (db/audit.repo.ts).
 */
import { AuditChainCheck, AuditPage, AuditPageQuery, type AuditEventView } from '../../common/api.ts';
import type { AuditEvent } from '../../db/index.ts';
import type { AuditPageQuery as AuditRepoQuery } from '../../db/audit.repo.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
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
  // Administrators see their own team's cases and people, never another team's — running the deployment
  // adds only events of no team (tests/security/teams-apart.test.ts found them reading everything).
  const viewerOf = ({ investigator, team }: ActiveSession): AuditRepoQuery['viewer'] => ({
    investigatorId: investigator.id, teamId: team.id,
    ...(investigator.role === 'admin' ? { admin: team.runsDeployment ? 'deployment' as const : 'team' as const } : {}),
  });
  /** How many chained events up to seq `upTo` the viewer may see (page by page: the same rules as the trail). */
  const countVisible = (viewer: AuditRepoQuery['viewer'], upTo: number): number => {
    let count = 0;
    let before: number | null = upTo + 1;
    for (;;) {
      const page = repos.audit.page({ before, limit: 500, viewer });
      count += page.length;
      if (page.length < 500) return count;
      before = page.at(-1)!.seq;
    }
  };
  return [
    defineRoute({
      method: 'get', path: '/api/audit', summary: 'A page of the audit trail, newest first (query: before, limit)', tag: 'audit',
      auth: 'investigator', response: AuditPage, status: 200,
      handler: ({ session, req }) => {
        assertAdmitted(session); // a pending member would read the team's case ids and events
        const query = AuditPageQuery.safeParse(req.query);
        if (!query.success) throw new HttpError(400, 'invalid_request', 'before and limit must be positive whole numbers (limit at most 500)');
        const events = repos.audit.page({ before: query.data.before ?? null, limit: query.data.limit, viewer: viewerOf(session) });
        const last = events.at(-1);
        // The first page starts with the reporter events that wait for the daily batch (no place in the chain yet).
        const pending: AuditEventView[] = query.data.before === undefined
          ? repos.audit.pendingFor({ investigatorId: session.investigator.id, teamId: session.team.id }).map((e) => ({
            seq: null, day: e.day, at: null, actor: 'reporter' as const, actorName: null, caseId: e.caseId, action: e.action, detail: e.detail,
          }))
          : [];
        return { events: [...pending, ...present(events)], nextBefore: events.length === query.data.limit && last ? last.seq : null };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/audit/verify',
      summary: 'Recompute the hash chain of the whole audit trail; count the events the caller may see', tag: 'audit',
      auth: 'investigator', response: AuditChainCheck, status: 200,
      handler: ({ session }) => {
        // A pending member sees no event, so has nothing to verify (it answered them, with every team's count).
        assertAdmitted(session);
        // The chain can only be checked whole (each hash covers everything before it), and whether it is whole is
        // everyone's business; how many events it holds is not: a team counts only the events it may read
        // (the rules of /api/audit), so another team's activity is not measured. The deployment's administrators,
        // who see the events of no team, get the deployment-wide count.
        const check = repos.audit.verify();
        const upTo = check.ok ? Number.MAX_SAFE_INTEGER : check.brokenAt - 1;
        const viewer = viewerOf(session);
        const checked = viewer.admin === 'deployment' ? (check.ok ? check.count : check.brokenAt - 1) : countVisible(viewer, upTo);
        return check.ok ? { ok: true, checked } : { ok: false, checked, brokenAt: check.brokenAt };
      },
    }),
  ];
}
