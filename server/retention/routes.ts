/**
 * Retention and legal holds, for the workspace.
 *
 * GET/PUT /api/team/retention         how many days the team keeps closed cases (administrators change it;
 *                                     it applies at once to every case of the team, closed ones included)
 * GET     /api/team/legal-holds       ids of the team's cases on hold (the inbox marks them)
 * GET     /api/cases/:id/retention    the hold, the longest retention of the case's teams, and from which day
 *                                     the purge deletes it
 * POST    /api/cases/:id/legal-hold        set (or replace) the hold, with a clear-text reason (administrators)
 * POST    /api/cases/:id/legal-hold/lift   lift it (administrators)
 *
 * Only an administrator of a team the case was sent to may set or lift a
 * hold (caseForSession: another team's case answers 404). The audit events
 * carry no reason: it is clear text an administrator wrote, kept with the
 * hold and shown to the case's teams, and it goes when the hold is lifted.
 */
import { z } from 'zod';
import { id } from '../../common/api.ts';
import { CaseRetention, LegalHoldRequest, TeamLegalHolds, TeamRetention } from '../../common/retention.ts';
import { addDays, dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { caseForSession } from '../cases/policy.ts';
import { assertAdmin, assertAdmitted } from '../auth/policy.ts';
import { HttpError } from '../errors.ts';
import { defineRoute, type Route } from '../routing/route.ts';

const CaseParams = z.object({ id });

export function retentionRoutes(ctx: AppContext): Route[] {
  const { repos, audit } = ctx;

  const teamRetention = (teamId: string) => {
    const days = repos.retention.retentionDays(teamId);
    if (days === undefined) throw new Error('session team vanished');
    return { retentionDays: days };
  };

  /** The presenter of CaseRetention: every field that leaves the server. */
  const caseRetention = (caseId: string, closedDay: string | null): CaseRetention => {
    const hold = repos.retention.holdOf(caseId);
    const keepDays = repos.retention.keepDaysOf(caseId) ?? 0;
    return {
      legalHold: hold
        ? { reason: hold.reason, setDay: hold.setDay, setByName: repos.investigators.find(hold.setBy)?.displayName ?? null }
        : null,
      keepDays,
      purgeFromDay: closedDay && !hold ? addDays(closedDay, keepDays) : null,
    };
  };

  return [
    defineRoute({
      method: 'get', path: '/api/team/retention', summary: 'How long my team keeps closed cases', tag: 'retention',
      auth: 'investigator', response: TeamRetention, status: 200,
      handler: ({ session }) => teamRetention(session.team.id),
    }),
    defineRoute({
      method: 'put', path: '/api/team/retention', summary: 'Change how long my team keeps closed cases (administrators)',
      tag: 'retention', auth: 'investigator', request: TeamRetention, response: TeamRetention, status: 200,
      handler: ({ session, body }) => {
        assertAdmin(session);
        repos.transaction(() => {
          repos.retention.setRetentionDays(session.team.id, body.retentionDays);
          audit.investigator('team.retention_changed', session.investigator.id, null, { days: body.retentionDays });
        });
        return teamRetention(session.team.id);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/team/legal-holds', summary: 'My team’s cases on legal hold', tag: 'retention',
      auth: 'investigator', response: TeamLegalHolds, status: 200,
      handler: ({ session }) => {
        // Case ids are case data: none to a pending member, none of a case one is excluded from (cases/policy.ts).
        assertAdmitted(session);
        const caseIds = repos.retention.heldCaseIds(session.team.id);
        return { caseIds: caseIds.filter((caseId) => !repos.caseWork.isExcluded(caseId, session.investigator.id)) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/cases/:id/retention', summary: 'Legal hold and deletion day of a case', tag: 'retention',
      auth: 'investigator', params: CaseParams, response: CaseRetention, status: 200,
      handler: ({ session, params }) => {
        const { record } = caseForSession(ctx, session, params.id);
        return caseRetention(record.id, record.closedDay);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/legal-hold', summary: 'Put a case on legal hold (administrators)', tag: 'retention',
      auth: 'investigator', params: CaseParams, request: LegalHoldRequest, response: CaseRetention, status: 200,
      handler: ({ session, params, body }) => {
        assertAdmin(session);
        const { record } = caseForSession(ctx, session, params.id);
        const replaced = repos.retention.holdOf(record.id) !== undefined;
        repos.transaction(() => {
          repos.retention.setHold({
            caseId: record.id, teamId: session.team.id, reason: body.reason, setDay: dayOf(ctx.clock.now()), setBy: session.investigator.id,
          });
          audit.investigator('case.legal_hold_set', session.investigator.id, record.id, { replaced });
        });
        return caseRetention(record.id, record.closedDay);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:id/legal-hold/lift', summary: 'Lift a legal hold (administrators)', tag: 'retention',
      auth: 'investigator', params: CaseParams, response: CaseRetention, status: 200,
      handler: ({ session, params }) => {
        assertAdmin(session);
        const { record } = caseForSession(ctx, session, params.id);
        repos.transaction(() => {
          if (!repos.retention.liftHold(record.id)) {
            throw new HttpError(409, 'no_legal_hold', 'this case is not on legal hold; reload the case');
          }
          audit.investigator('case.legal_hold_lifted', session.investigator.id, record.id);
        });
        return caseRetention(record.id, record.closedDay);
      },
    }),
  ];
}
