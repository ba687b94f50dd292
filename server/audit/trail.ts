/**
 * Writing to the hash-chained audit trail (db/audit.repo.ts) with the right
 * precision: events caused by a reporter get a day and nothing finer; events
 * caused by an investigator or the system also get the millisecond.
 * Details are ids, stages and usernames, never content.
 */
import type { AuditDetail, Repositories } from '../../db/index.ts';
import { dayOf, type Clock } from '../clock.ts';

export type ReporterAction = 'case.received' | 'case.reporter_wrote' | 'case.retaliation_reported' | 'case.satisfaction_given';
export type InvestigatorAction =
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'case.opened'
  | 'case.stage_changed'
  | 'case.replied'
  | 'case.attachment_downloaded';
export type SystemAction = 'setup.link_issued' | 'setup.completed';

export function createAuditTrail(repos: Pick<Repositories, 'audit'>, clock: Clock) {
  return {
    reporter(action: ReporterAction, caseId: string, detail: AuditDetail = {}) {
      repos.audit.append({
        day: dayOf(clock.now()), at: null, actor: 'reporter', investigatorId: null, caseId, action, detail,
      });
    },
    investigator(action: InvestigatorAction, investigatorId: string | null, caseId: string | null, detail: AuditDetail = {}) {
      const now = clock.now();
      repos.audit.append({ day: dayOf(now), at: now, actor: 'investigator', investigatorId, caseId, action, detail });
    },
    system(action: SystemAction, detail: AuditDetail = {}) {
      const now = clock.now();
      repos.audit.append({ day: dayOf(now), at: now, actor: 'system', investigatorId: null, caseId: null, action, detail });
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
