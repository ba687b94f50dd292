/**
 * Invitations to a team: an administrator issues a single-use link
 * `${publicUrl}/join#<token>` (the token in the fragment, so it is never sent
 * in a URL; only its sha256 is stored; 7 days). The invitee's browser makes
 * their key pair and wraps it with their password; accepting creates the
 * investigator and spends the link in one transaction.
 *
 * The newcomer is then PENDING: no recipient of reports, no case opened,
 * until an administrator of the team admits them — the administrator's
 * browser certifies their key with the team's offline recovery key
 * (server/people/admission.ts, docs/protocol.md "Pinned keys").
 */
import type {
  InviteAccepted, InviteAcceptRequest, InviteCreated, InviteInfo, InviteRequest, PendingInvite,
} from '../../common/api.ts';
import type { InviteRecord } from '../../db/index.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import { prepareAccount } from '../auth/new-account.ts';
import { assertAdmin } from '../auth/policy.ts';
import { dayOf } from '../clock.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomBase64Url, randomId, sha256Hex } from '../security/secrets.ts';

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function inviteLink(publicUrl: string, token: string): string {
  return `${publicUrl}/join#${token}`;
}

const present = (invite: InviteRecord): PendingInvite => ({
  id: invite.id, displayName: invite.displayName, role: invite.role, createdAt: invite.createdAt, expiresAt: invite.expiresAt,
});

export function createInvite(ctx: AppContext, session: ActiveSession, body: InviteRequest): InviteCreated {
  assertAdmin(session);
  const token = randomBase64Url(32);
  const now = ctx.clock.now();
  const invite = {
    id: randomId(), tokenHash: sha256Hex(token), teamId: session.team.id, displayName: body.displayName, role: body.role,
    createdBy: session.investigator.id, createdAt: now, expiresAt: now + INVITE_TTL_MS,
  };
  ctx.repos.transaction(() => {
    ctx.repos.invites.create(invite);
    ctx.audit.investigator('team.invite_created', session.investigator.id, null, { invite: invite.id, role: body.role });
  });
  return { ...present({ ...invite, usedAt: null, revokedAt: null }), link: inviteLink(ctx.config.publicUrl, token) };
}

export function pendingInvites(ctx: AppContext, session: ActiveSession): PendingInvite[] {
  assertAdmin(session);
  return ctx.repos.invites.pendingOfTeam(session.team.id, ctx.clock.now()).map(present);
}

export function revokeInvite(ctx: AppContext, session: ActiveSession, inviteId: string): void {
  assertAdmin(session);
  ctx.repos.transaction(() => {
    if (!ctx.repos.invites.revoke(inviteId, session.team.id, ctx.clock.now())) {
      throw new HttpError(404, 'invite_not_found', 'no pending invitation with this id');
    }
    ctx.audit.investigator('team.invite_revoked', session.investigator.id, null, { invite: inviteId });
  });
}

/** 403 `invite_invalid`; 410 `invite_used`, `invite_revoked`, `invite_expired`. */
function usableInvite(ctx: Pick<AppContext, 'repos' | 'clock'>, token: string): InviteRecord {
  const invite = ctx.repos.invites.findByTokenHash(sha256Hex(token));
  if (!invite) throw new HttpError(403, 'invite_invalid', 'this invitation link is not valid');
  if (invite.usedAt !== null) throw new HttpError(410, 'invite_used', 'this invitation link was already used');
  if (invite.revokedAt !== null) throw new HttpError(410, 'invite_revoked', 'this invitation was withdrawn; ask your administrator for a new one');
  if (invite.expiresAt <= ctx.clock.now()) {
    throw new HttpError(410, 'invite_expired', 'this invitation link has expired; ask your administrator for a new one');
  }
  return invite;
}

export function inviteInfo(ctx: AppContext, token: string): InviteInfo {
  const invite = usableInvite(ctx, token);
  const team = ctx.repos.teams.find(invite.teamId);
  if (!team) throw new HttpError(403, 'invite_invalid', 'this invitation link is not valid');
  return {
    displayName: invite.displayName, role: invite.role, teamName: team.name, expiresAt: invite.expiresAt,
    kdf: { ...PASSWORD_KDF_PARAMS },
  };
}

export async function acceptInvite(ctx: AppContext, body: InviteAcceptRequest): Promise<InviteAccepted> {
  const invite = usableInvite(ctx, body.token);
  const team = ctx.repos.teams.find(invite.teamId);
  if (!team) throw new HttpError(403, 'invite_invalid', 'this invitation link is not valid');
  if (ctx.repos.investigators.findByUsername(body.username)) {
    throw new HttpError(409, 'username_taken', 'this username is taken; choose another');
  }
  const account = await prepareAccount(body);

  const now = ctx.clock.now();
  const investigatorId = randomId();
  ctx.repos.transaction(() => {
    if (!ctx.repos.invites.markUsed(invite.tokenHash, now)) usableInvite(ctx, body.token); // throws the reason
    if (ctx.repos.investigators.findByUsername(body.username)) {
      throw new HttpError(409, 'username_taken', 'this username is taken; choose another');
    }
    ctx.repos.investigators.create({
      id: investigatorId, teamId: team.id, username: body.username, role: invite.role, ...account,
      // Pending until an administrator admits them with the team's recovery key (server/people/admission.ts).
      createdDay: dayOf(now), disabled: false, admittedDay: null,
    });
    ctx.audit.investigator('team.invite_accepted', investigatorId, null, { invite: invite.id, role: invite.role });
  });
  return { username: body.username, teamName: team.name };
}
