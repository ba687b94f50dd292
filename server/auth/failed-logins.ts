/**
 * For administrators: recent failed sign-ins (wrong password or wrong second
 * factor) for the usernames of their team, from the audit trail. Tries on
 * unknown usernames are not shown (they belong to no team).
 */
import type { FailedLogins } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { assertAdmin } from './policy.ts';
import type { ActiveSession } from './session-gate.ts';

export const FAILED_LOGINS_DAYS = 7;
const SCAN_LIMIT = 2000;
const SHOW_LIMIT = 50;

export function recentFailedLogins(ctx: Pick<AppContext, 'repos' | 'clock'>, session: ActiveSession): FailedLogins {
  assertAdmin(session);
  const usernames = new Set(ctx.repos.investigators.activeOfTeam(session.team.id).map((i) => i.username));
  const since = ctx.clock.now() - FAILED_LOGINS_DAYS * 24 * 60 * 60 * 1000;
  const events = [
    ...ctx.repos.audit.recentByAction('auth.login_failed', since, SCAN_LIMIT),
    ...ctx.repos.audit.recentByAction('auth.second_factor_failed', since, SCAN_LIMIT),
  ].sort((a, b) => b.seq - a.seq);
  const failures = events
    .map((e) => ({ username: typeof e.detail['username'] === 'string' ? e.detail['username'] : '', day: e.day, at: e.at }))
    .filter((f) => usernames.has(f.username))
    .slice(0, SHOW_LIMIT);
  return { failures };
}
