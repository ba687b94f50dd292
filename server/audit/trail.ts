/**
 * Writing to the hash-chained audit trail (db/audit.repo.ts) with the right
 * precision: events caused by a reporter get a day and nothing finer, and
 * wait for the daily batch (`sealReporterEvents`, run by the retention
 * scheduler) before they enter the chain, so that their place in it does not
 * date them among timed events; events caused by an investigator or the
 * system get the millisecond and are appended at once.
 * Details are ids, stages and usernames, never content.
 */
import type { AuditDetail, Repositories } from '../../db/index.ts';
import { dayOf, type Clock } from '../clock.ts';

export type ReporterAction = 'case.received' | 'case.reporter_wrote' | 'case.retaliation_reported' | 'case.satisfaction_given';
export type InvestigatorAction =
  | RetentionAction
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  /** The key envelope was sealed again with a trust root (docs/protocol.md "v2: workspace trust root"); detail: `{ version }`. */
  | 'auth.envelope_sealed'
  /** A wrong password given to seal the key envelope again (counted like a failed sign-in); detail: `{ username }`. */
  | 'auth.envelope_failed'
  | 'case.opened'
  | 'case.stage_changed'
  | 'case.replied'
  | 'case.attachment_downloaded'
  /** Detail: `{ investigator }` (id of the one assigned, or null when unassigned). */
  | 'case.assigned'
  /** Detail: `{ investigator, excluded }`: who is kept out of (or let back into) the case. */
  | 'case.excluded'
  /** Detail: how many labels the case has now (never the labels themselves). */
  | 'case.labels_changed'
  /** An encrypted internal note was added; detail: `{ note }` (its id). */
  | 'case.note_added'
  /** The retaliation-risk level was assessed; detail: `{ level }` (the rationale stays encrypted). */
  | 'case.risk_assessed'
  /** An administrator changed the team's deadlines; detail: `{ ackDays, feedbackMonths }`. */
  | 'team.deadlines_changed'
  /** The case bundle (ciphertexts + manifest) was downloaded; detail: `{ files, bytes }`. */
  | 'case.exported'
  /** An investigator entered a report received on paper, in person or by phone (client/team/on-behalf/). */
  | 'case.entered_on_behalf'
  /** Accounts. Invites: detail `{ invite, role }` (the invite id, never the token). */
  | 'team.invite_created'
  | 'team.invite_revoked'
  | 'team.invite_accepted'
  /** Detail: `{ username }`: a wrong TOTP or recovery code after a correct password. */
  | 'auth.second_factor_failed'
  | 'auth.totp_enrolled'
  | 'auth.recovery_code_used'
  /** Pinned keys (server/people/): an administrator admitted a pending member, or certified an older member's key; detail `{ member, fingerprint }`. */
  | 'team.member_admitted'
  | 'team.member_certified'
  /** A deployment administrator issued or withdrew a founding link; detail `{ founding }` (its id, never the token). */
  | 'team.founding_created'
  | 'team.founding_revoked'
  /** A founder used the link: detail `{ founding, team, recoveryFingerprint }`. */
  | 'team.founded'
  /** A deployment administrator created or changed an intake channel (server/channels/); detail: `{ channel, teams, pinsChanged? }` (slug and team ids). */
  | 'channel.created'
  | 'channel.changed'
  /** Re-wrapping (server/people/): an administrator gave a member access to earlier ciphertexts; detail `{ member, shared, skipped }` (counts only). */
  | 'team.cases_shared'
  /** An administrator removed a member (disabled, sessions ended); detail `{ member, sessionsEnded }`. */
  | 'team.member_removed'
  /** Someone holding the team's recovery key made a new administrator (server/recovery/); detail `{ team, member, recoveryFingerprint }`. */
  | 'team.recovered'
  /** A recovery attempt with a wrong signature; detail `{ team }`. */
  | 'team.recovery_failed'
  /** An administrator saved the team's names in the worker languages; detail `{ languages }` (the codes, comma-separated). */
  | 'team.names_changed'
  /** A deployment administrator replaced a listen prompt by a signed recording, or removed one (server/prompts/); detail `{ lang, clip, sha256? }`. */
  | 'prompt.recorded'
  | 'prompt.removed';
/** Retention (server/retention/): `team.retention_changed` detail `{ days }`; a legal hold set or lifted (the reason stays out of the trail). */
export type RetentionAction = 'team.retention_changed' | 'case.legal_hold_set' | 'case.legal_hold_lifted';
/** `case.purged`: the case and everything of it was deleted (retention passed); detail `{ closedDay, keepDays }`. */
export type SystemAction = 'setup.link_issued' | 'setup.completed' | 'case.purged';

export function createAuditTrail(repos: Pick<Repositories, 'audit'>, clock: Clock) {
  return {
    reporter(action: Exclude<ReporterAction, 'case.received'>, caseId: string, detail: AuditDetail = {}) {
      repos.audit.appendPending({ day: dayOf(clock.now()), caseId, action, detail });
    },
    /**
     * A new case's "received" event, on `day` (the case's received day): returns the detail for its row,
     * which implies the event until the daily batch, or undefined when it was kept as a pending row
     * (db/audit.repo.ts `receivedEvent`). In the transaction that creates the case.
     */
    caseReceived(caseId: string, day: string, detail: AuditDetail): string | undefined {
      return repos.audit.receivedEvent(caseId, day, detail);
    },
    /** The daily batch: every reporter event of a day before today enters the chain. Returns how many. */
    sealReporterEvents(): number {
      return repos.audit.sealPending(dayOf(clock.now()));
    },
    investigator(action: InvestigatorAction, investigatorId: string | null, caseId: string | null, detail: AuditDetail = {}) {
      const now = clock.now();
      repos.audit.append({ day: dayOf(now), at: now, actor: 'investigator', investigatorId, caseId, action, detail });
    },
    system(action: SystemAction, detail: AuditDetail = {}, caseId: string | null = null) {
      const now = clock.now();
      repos.audit.append({ day: dayOf(now), at: now, actor: 'system', investigatorId: null, caseId, action, detail });
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
