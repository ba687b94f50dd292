/**
 * The one home of the server's role checks: admitted (a pending member
 * decides and sees nothing), administrator of the team, administrator of
 * the team that runs the deployment — and which member an administrator may
 * act on.
 *
 * Who may give a member access to earlier cases and remove members: an
 * administrator of the member's own team. Not any colleague: re-wrapping
 * hands over every case of the team, and removal ends someone's access —
 * both are decisions about people, as admission is (server/people/admission.ts).
 * Another team's member answers like one that does not exist.
 */
import type { InvestigatorRecord } from '../../db/index.ts';
import type { ActiveSession } from './session-gate.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';

/**
 * A pending member (accepted an invitation, not yet admitted with the team's
 * recovery key: server/people/admission.ts) is signed in but sees no case.
 */
export function assertAdmitted(session: ActiveSession): void {
  if (session.investigator.admittedDay === null) {
    throw new HttpError(403, 'not_admitted', "an administrator of your team must admit you with the team's recovery key first");
  }
}

/** Administrators manage exclusions and the team's deadlines — once admitted: a pending administrator decides nothing yet. */
export function assertAdmin(session: ActiveSession): void {
  if (session.investigator.role !== 'admin') throw new HttpError(403, 'admin_only', 'only an administrator may do this');
  assertAdmitted(session);
}

/**
 * Administrators of the team that runs the deployment (the one created at
 * first setup) found teams, manage intake channels and print posters.
 */
export function assertDeploymentAdmin(session: ActiveSession): void {
  assertAdmin(session);
  if (!session.team.runsDeployment) {
    throw new HttpError(403, 'deployment_admin_only', 'only an administrator of the team that runs this deployment may do this');
  }
}

/** 403 `admin_only` / `not_admitted` (a pending administrator decides nothing yet); 404 `member_not_found`. */
export function memberForAdmin(ctx: Pick<AppContext, 'repos'>, session: ActiveSession, memberId: string): InvestigatorRecord {
  assertAdmin(session);
  assertAdmitted(session);
  const member = ctx.repos.investigators.find(memberId);
  if (!member || member.teamId !== session.team.id) throw new HttpError(404, 'member_not_found', 'no member of your team with this id');
  return member;
}

/** The member as a recipient: admitted and not removed (409 `not_admitted` / `member_disabled` otherwise). */
export function recipientMember(ctx: Pick<AppContext, 'repos'>, session: ActiveSession, memberId: string): InvestigatorRecord {
  const member = memberForAdmin(ctx, session, memberId);
  if (member.disabled) throw new HttpError(409, 'member_disabled', 'this member was removed; invite them again instead');
  if (!ctx.repos.investigators.activeOfTeam(session.team.id).some((m) => m.id === member.id)) {
    throw new HttpError(409, 'not_admitted', 'admit this member with the recovery key first; then give them access to earlier cases');
  }
  return member;
}
