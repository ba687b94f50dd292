/**
 * The signed-in investigator's team: who can be assigned a case, and the
 * team's deadlines (administrators change them; they apply to cases received
 * from then on — a case keeps the deadlines it was received with).
 *
 * POST /api/team/on-behalf: after an investigator entered a report received
 * on paper, in person or by phone through the ordinary intake (client/team/on-behalf/),
 * their browser sends the new case's lookup id so that the audit trail says
 * who entered it (`case.entered_on_behalf`). The token itself never leaves
 * the browser.
 */
const OnBehalfRequest = z.strictObject({ lookupId: secret32 });
const OnBehalfRecorded = z.object({ caseId: id });
import { z } from 'zod';
import { TeamDeadlines, TeamInvestigators, TeamNames, TeamNamesView, id, secret32 } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { caseForSession } from '../cases/policy.ts';
import { assertAdmin } from '../auth/policy.ts';
import { HttpError } from '../errors.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { saveTeamNames, teamNamesOf } from './team-names.ts';

export function teamRoutes(ctx: AppContext): Route[] {
  const { repos, audit } = ctx;
  const deadlinesOf = (teamId: string) => {
    const team = repos.teams.find(teamId);
    if (!team) throw new Error('session team vanished');
    return { ackDays: team.ackDays, feedbackMonths: team.feedbackMonths };
  };
  return [
    defineRoute({
      method: 'get', path: '/api/team/names', summary: 'My team’s name in the worker languages, each signed (./team-names.ts)', tag: 'team',
      auth: 'investigator', response: TeamNamesView, status: 200,
      handler: ({ session }) => teamNamesOf(ctx, session),
    }),
    defineRoute({
      method: 'put', path: '/api/team/names',
      summary: 'Replace my team’s names in the worker languages, each signed by my key (administrators)', tag: 'team',
      auth: 'investigator', request: TeamNames, response: TeamNamesView, status: 200,
      errorCodes: ['team_name_language_twice', 'team_name_signature_invalid'],
      handler: ({ session, body }) => saveTeamNames(ctx, session, body),
    }),
    defineRoute({
      method: 'get', path: '/api/team/investigators', summary: 'Active investigators of my team', tag: 'team',
      auth: 'investigator', response: TeamInvestigators, status: 200,
      handler: ({ session }) => ({
        investigators: repos.investigators.activeOfTeam(session.team.id).map((i) => ({ id: i.id, displayName: i.displayName })),
      }),
    }),
    defineRoute({
      method: 'get', path: '/api/team/deadlines', summary: 'My team’s deadlines for new cases', tag: 'team',
      auth: 'investigator', response: TeamDeadlines, status: 200,
      handler: ({ session }) => deadlinesOf(session.team.id),
    }),
    defineRoute({
      method: 'put', path: '/api/team/deadlines', summary: 'Change my team’s deadlines for new cases (administrators)', tag: 'team',
      auth: 'investigator', request: TeamDeadlines, response: TeamDeadlines, status: 200,
      handler: ({ session, body }) => {
        assertAdmin(session);
        repos.transaction(() => {
          repos.teams.setDeadlines(session.team.id, body.ackDays, body.feedbackMonths);
          audit.investigator('team.deadlines_changed', session.investigator.id, null, { ...body });
        });
        return deadlinesOf(session.team.id);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/team/on-behalf', summary: 'Record that I entered a report on a worker’s behalf', tag: 'team',
      auth: 'investigator', request: OnBehalfRequest, response: OnBehalfRecorded, status: 200,
      handler: ({ session, body }) => {
        const record = repos.cases.findByLookupHash(ctx.keys.hmacHex('lookup', body.lookupId));
        if (!record) throw new HttpError(404, 'case_not_found', 'no such case');
        caseForSession(ctx, session, record.id); // only a case this team receives
        audit.investigator('case.entered_on_behalf', session.investigator.id, record.id);
        return { caseId: record.id };
      },
    }),
  ];
}
