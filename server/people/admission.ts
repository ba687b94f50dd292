/**
 * A team's members as its administrators see them, and admission: a pending
 * member (an invitee who accepted) becomes a recipient of reports only once
 * an administrator's browser has certified their key with the team's offline
 * recovery key. The server checks that the key sent back is the member's own
 * (same fingerprint) and carries that certification, stores it and the day.
 *
 * The same action certifies the key of a member admitted before certification
 * existed (schema version 12), whom report forms would otherwise refuse.
 */
import type { TeamMember, TeamMembers } from '../../common/api.ts';
import type { InvestigatorRecord, Team } from '../../db/index.ts';
import { isCertifiedBy } from '../../crypto/index.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import { assertAdmin } from '../auth/policy.ts';
import { dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { describeKey } from '../recipients/describe.ts';
import { assertCertified } from './certification.ts';

/** Every field listed: no salts, verifiers or wrapped keys leave through here. */
async function present(member: InvestigatorRecord, team: Team): Promise<TeamMember> {
  return {
    id: member.id,
    username: member.username,
    displayName: member.displayName,
    role: member.role,
    state: member.disabled ? 'disabled' : member.admittedDay === null ? 'pending' : 'admitted',
    certified: await isCertifiedBy({ publicKey: member.publicKey, certifierPublicKey: team.recoveryPublicKey }),
    fingerprint: member.fingerprint,
    publicKey: member.publicKey,
    createdDay: member.createdDay,
    admittedDay: member.admittedDay,
  };
}

export async function listMembers(ctx: AppContext, session: ActiveSession): Promise<TeamMembers> {
  assertAdmin(session);
  const members = ctx.repos.investigators.ofTeam(session.team.id);
  return {
    recoveryFingerprint: session.team.recoveryFingerprint,
    members: await Promise.all(members.map((m) => present(m, session.team))),
  };
}

/** 404 `member_not_found` (also for another team's member), 400 `key_mismatch`, 400 `key_not_certified`, 409 `member_disabled`. */
export async function admitMember(ctx: AppContext, session: ActiveSession, memberId: string, publicKey: string): Promise<TeamMember> {
  assertAdmin(session);
  const member = ctx.repos.investigators.find(memberId);
  if (!member || member.teamId !== session.team.id) {
    throw new HttpError(404, 'member_not_found', 'no member of your team with this id');
  }
  if (member.disabled) throw new HttpError(409, 'member_disabled', 'this member was removed; invite them again instead');
  const key = await describeKey('publicKey', publicKey);
  if (key.fingerprint !== member.fingerprint || key.encryptionKeyIds.join() !== member.encryptionKeyIds.join()) {
    throw new HttpError(400, 'key_mismatch', "publicKey: this is not the member's key; reload the members list and admit again");
  }
  await assertCertified('publicKey', publicKey, session.team.recoveryPublicKey);

  const today = dayOf(ctx.clock.now());
  ctx.repos.transaction(() => {
    // Read again: another administrator may have removed them (or the one admitting) or admitted them during the awaited key checks.
    if (ctx.repos.investigators.find(session.investigator.id)?.disabled !== false) throw new HttpError(401, 'not_authenticated', 'sign in first');
    const current = ctx.repos.investigators.find(member.id);
    if (current?.disabled) throw new HttpError(409, 'member_disabled', 'this member was removed meanwhile; invite them again instead');
    const wasPending = current?.admittedDay === null;
    if (!ctx.repos.investigators.admit(member.id, member.fingerprint, publicKey, today)) {
      throw new HttpError(404, 'member_not_found', 'no member of your team with this id');
    }
    ctx.audit.investigator(wasPending ? 'team.member_admitted' : 'team.member_certified', session.investigator.id, null, {
      member: member.id, fingerprint: member.fingerprint,
    });
  });
  return present(ctx.repos.investigators.find(member.id)!, session.team);
}
