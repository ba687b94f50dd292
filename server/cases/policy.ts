/**
 * Who may see and act on a case: investigators of a team the case was sent
 * to. A case of another team answers exactly like a case that does not exist
 * (404 `case_not_found`), so ids cannot be probed across teams.
 */
import type { CaseRecord, TeamCaseListing } from '../../db/index.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export interface VisibleCase {
  listing: TeamCaseListing;
  record: CaseRecord;
}

export function caseForSession(ctx: Pick<AppContext, 'repos'>, session: ActiveSession, caseId: string): VisibleCase {
  const listing = ctx.repos.caseLists.findForTeam(caseId, session.team.id);
  const record = listing && ctx.repos.cases.find(caseId);
  if (!listing || !record) throw new HttpError(404, 'case_not_found', 'no such case');
  return { listing, record };
}
