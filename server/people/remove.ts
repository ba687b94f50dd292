/**
 * Removing a member (docs/protocol.md, "Re-wrapping, removal and recovery"):
 * the account is disabled, every one of its sessions ends and its
 * password-wrapped private key is dropped from the database, in one
 * transaction (removal is final: admission refuses a removed member). From then on the member is no recipient of anything new
 * (teamRecipients lists only active members, and uploads must be encrypted
 * to exactly those), their old session answers 401 and they cannot sign in,
 * so Ombud hands them no case, file, note or index any more.
 *
 * What removal cannot take back: ciphertexts encrypted to their key before
 * (docs/threat-model.md). The server refuses to leave a team without an
 * admitted investigator or without an administrator, because nobody could
 * then admit anyone — only the recovery key could.
 */
import type { MemberRemoved } from '../../common/api.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { memberForAdmin } from '../auth/policy.ts';

export function removeMember(ctx: AppContext, session: ActiveSession, memberId: string): MemberRemoved {
  return ctx.repos.transaction(() => {
    const member = memberForAdmin(ctx, session, memberId);
    if (member.disabled) throw new HttpError(409, 'member_disabled', 'this member was already removed');
    const active = ctx.repos.investigators.activeOfTeam(session.team.id);
    if (active.some((m) => m.id === member.id)) {
      if (active.length === 1) {
        throw new HttpError(409, 'last_member',
          `${member.displayName} is the last admitted investigator of the team: invite someone and admit them first. ` +
          'If nobody can sign in any more, recover the team at /recover with its recovery key.');
      }
      if (member.role === 'admin' && active.filter((m) => m.role === 'admin').length === 1) {
        throw new HttpError(409, 'last_admin',
          `${member.displayName} is the team's last administrator: invite another administrator and admit them first. ` +
          'If nobody can sign in any more, recover the team at /recover with its recovery key.');
      }
    }
    ctx.repos.investigators.setDisabled(member.id, true);
    ctx.repos.members.forgetWrappedKey(member.id);
    const sessionsEnded = ctx.repos.members.deleteSessionsOf(member.id);
    ctx.audit.investigator('team.member_removed', session.investigator.id, null, { member: member.id, sessionsEnded });
    return { memberId: member.id, sessionsEnded };
  });
}
