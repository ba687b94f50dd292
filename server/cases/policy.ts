/**
 * Who may see and act on a case — the one place that decides it (the role
 * checks themselves live in server/auth/policy.ts); every case
 * route (cases, notes, attachments, export, audit of a case) goes through
 * `caseForSession` or `visibleCases`.
 *
 * - Investigators of a team the case was sent to see it…
 * - …unless they were excluded from it for a conflict of interest.
 * A case of another team, and a case one is excluded from, answer exactly
 * like a case that does not exist (404 `case_not_found`), so ids cannot be
 * probed and an excluded investigator learns nothing new through the app.
 * (They still hold the OpenPGP access to ciphertexts they already received:
 * docs/threat-model.md.)
 *
 * Excluding someone is for administrators only: an investigator could
 * otherwise push a colleague out of a case they want to steer alone.
 */
import type { CaseRecord, TeamCaseListing } from '../../db/index.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import { assertAdmitted } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { teamRecipients, type RecipientKey } from '../recipients/recipients.ts';

export interface VisibleCase {
  listing: TeamCaseListing;
  record: CaseRecord;
}

export function caseForSession(ctx: Pick<AppContext, 'repos'>, session: ActiveSession, caseId: string): VisibleCase {
  assertAdmitted(session);
  const listing = ctx.repos.caseLists.findForTeam(caseId, session.team.id);
  const excluded = listing !== undefined && ctx.repos.caseWork.isExcluded(caseId, session.investigator.id);
  const record = listing && !excluded ? ctx.repos.cases.find(caseId) : undefined;
  if (!listing || !record) throw new HttpError(404, 'case_not_found', 'no such case');
  return { listing, record };
}

/** The inbox: the team's cases minus those this investigator is excluded from. */
export function visibleCases(ctx: Pick<AppContext, 'repos'>, session: ActiveSession): TeamCaseListing[] {
  assertAdmitted(session);
  return ctx.repos.caseLists.listForInvestigator(session.team.id, session.investigator.id);
}

/** The inbox's first answer: the first `limit` of those cases in the inbox's order, and how many there are. */
export function firstVisibleCases(ctx: Pick<AppContext, 'repos'>, session: ActiveSession, limit: number): { cases: TeamCaseListing[]; total: number } {
  assertAdmitted(session);
  return ctx.repos.caseLists.firstForInvestigator(session.team.id, session.investigator.id, limit);
}

/**
 * Who must be able to read an internal note or a risk rationale: the case's
 * teams' investigators and recovery keys, minus anyone excluded from the case
 * (they must not read what is written after) — and never the reporter.
 */
export function noteRecipients(ctx: Pick<AppContext, 'repos'>, caseId: string): RecipientKey[] {
  const { repos } = ctx;
  const excluded = new Set(
    repos.caseWork.exclusions(caseId).flatMap((x) => repos.investigators.find(x.investigatorId)?.encryptionKeyIds ?? []),
  );
  return teamRecipients(repos, repos.cases.teamIdsOf(caseId)).filter((k) => !k.keyIds.some((id) => excluded.has(id)));
}

/** An active investigator of the session's team who may work on this case, or 400. */
export function colleagueFor(ctx: Pick<AppContext, 'repos'>, session: ActiveSession, caseId: string, investigatorId: string) {
  const colleague = ctx.repos.investigators.activeOfTeam(session.team.id).find((i) => i.id === investigatorId);
  if (!colleague) throw new HttpError(400, 'unknown_investigator', 'no such active investigator in your team');
  if (ctx.repos.caseWork.isExcluded(caseId, investigatorId)) {
    throw new HttpError(400, 'investigator_excluded', 'this investigator is excluded from the case');
  }
  return colleague;
}
