/**
 * Founding a new team (a supplier's grievance committee) on this deployment.
 * A deployment administrator names the team and its first administrator and
 * gets a single-use link `${publicUrl}/join#found=<token>` (7 days; only the
 * token's sha256 is stored). The founder's browser makes the team's offline
 * recovery key (shown once, never sent), their own key certified by it, and
 * their password-wrapped private key; accepting creates the team and the
 * founder — admitted — and spends the link in one transaction.
 *
 * The deployment administrator never holds the new team's recovery key: the
 * team's trust root is made by the team itself.
 */
import type {
  DeploymentTeams, FoundingAccepted, FoundingAcceptRequest, FoundingCreated, FoundingInfo, FoundingRequest, PendingFounding,
} from '../../common/api.ts';
import type { FoundingRecord } from '../../db/index.ts';
import { prepareAccount } from '../auth/new-account.ts';
import type { ActiveSession } from '../auth/session-gate.ts';
import { assertDeploymentAdmin } from '../auth/policy.ts';
import { dayOf } from '../clock.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { describeKey } from '../recipients/describe.ts';
import { randomBase64Url, randomId, sha256Hex } from '../security/secrets.ts';
import { assertCertified } from './certification.ts';

export const FOUNDING_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function foundingLink(publicUrl: string, token: string): string {
  return `${publicUrl}/join#found=${token}`;
}

const present = (f: FoundingRecord): PendingFounding => ({
  id: f.id, teamName: f.teamName, founderName: f.founderName, createdAt: f.createdAt, expiresAt: f.expiresAt,
});

export function createFounding(ctx: AppContext, session: ActiveSession, body: FoundingRequest): FoundingCreated {
  assertDeploymentAdmin(session);
  const token = randomBase64Url(32);
  const now = ctx.clock.now();
  const founding = {
    id: randomId(), tokenHash: sha256Hex(token), teamName: body.teamName, founderName: body.founderName,
    createdBy: session.investigator.id, createdAt: now, expiresAt: now + FOUNDING_TTL_MS,
  };
  ctx.repos.transaction(() => {
    ctx.repos.foundings.create(founding);
    ctx.audit.investigator('team.founding_created', session.investigator.id, null, { founding: founding.id });
  });
  return { ...present({ ...founding, usedAt: null, revokedAt: null, teamId: null }), link: foundingLink(ctx.config.publicUrl, token) };
}

export function revokeFounding(ctx: AppContext, session: ActiveSession, foundingId: string): void {
  assertDeploymentAdmin(session);
  ctx.repos.transaction(() => {
    if (!ctx.repos.foundings.revoke(foundingId, ctx.clock.now())) {
      throw new HttpError(404, 'founding_not_found', 'no pending founding link with this id');
    }
    ctx.audit.investigator('team.founding_revoked', session.investigator.id, null, { founding: foundingId });
  });
}

/** The deployment's teams with their member counts and recovery fingerprints, and the unused founding links. */
export function deploymentTeams(ctx: AppContext, session: ActiveSession): DeploymentTeams {
  assertDeploymentAdmin(session);
  return {
    teams: ctx.repos.teams.list().map((team) => {
      const all = ctx.repos.investigators.ofTeam(team.id).filter((m) => !m.disabled);
      const pending = all.filter((m) => m.admittedDay === null).length;
      return {
        id: team.id, name: team.name, members: all.length - pending, pending,
        recoveryFingerprint: team.recoveryFingerprint, runsDeployment: team.runsDeployment, createdDay: team.createdDay,
      };
    }),
    foundings: ctx.repos.foundings.pending(ctx.clock.now()).map(present),
  };
}

/** 403 `founding_invalid`; 410 `founding_used`, `founding_revoked`, `founding_expired`. */
function usableFounding(ctx: Pick<AppContext, 'repos' | 'clock'>, token: string): FoundingRecord {
  const founding = ctx.repos.foundings.findByTokenHash(sha256Hex(token));
  if (!founding) throw new HttpError(403, 'founding_invalid', 'this link to found a team is not valid');
  if (founding.usedAt !== null) throw new HttpError(410, 'founding_used', 'this link was already used: the team exists; sign in');
  if (founding.revokedAt !== null) throw new HttpError(410, 'founding_revoked', 'this link was withdrawn; ask the deployment administrator for a new one');
  if (founding.expiresAt <= ctx.clock.now()) {
    throw new HttpError(410, 'founding_expired', 'this link has expired; ask the deployment administrator for a new one');
  }
  return founding;
}

export function foundingInfo(ctx: AppContext, token: string): FoundingInfo {
  const f = usableFounding(ctx, token);
  return { teamName: f.teamName, founderName: f.founderName, expiresAt: f.expiresAt, kdf: { ...PASSWORD_KDF_PARAMS } };
}

export async function acceptFounding(ctx: AppContext, body: FoundingAcceptRequest): Promise<FoundingAccepted> {
  const founding = usableFounding(ctx, body.token);
  if (ctx.repos.investigators.findByUsername(body.username)) {
    throw new HttpError(409, 'username_taken', 'this username is taken; choose another');
  }
  const recovery = await describeKey('recoveryPublicKey', body.recoveryPublicKey);
  const account = await prepareAccount(body);
  if (recovery.fingerprint === account.fingerprint) {
    throw new HttpError(400, 'invalid_public_key', 'the recovery key and the administrator key must differ');
  }
  await assertCertified('publicKey', body.publicKey, body.recoveryPublicKey);

  const now = ctx.clock.now();
  const today = dayOf(now);
  const teamId = randomId();
  const investigatorId = randomId();
  ctx.repos.transaction(() => {
    if (ctx.repos.investigators.findByUsername(body.username)) {
      throw new HttpError(409, 'username_taken', 'this username is taken; choose another');
    }
    // Recovery keys and certified member keys are public (channel links): without this, a founder holding no
    // private key could found a team on another team's trust root, and recovery would find either team.
    if (ctx.repos.members.teamIdByRecoveryFingerprint(recovery.fingerprint) !== undefined) {
      throw new HttpError(409, 'recovery_key_in_use', "recoveryPublicKey: another team's recovery key; reload the page so it makes a new one");
    }
    ctx.repos.teams.create({
      id: teamId, name: founding.teamName, recoveryPublicKey: body.recoveryPublicKey,
      recoveryFingerprint: recovery.fingerprint, recoveryKeyIds: recovery.encryptionKeyIds, createdDay: today,
    });
    // After the team exists (the link names it); a link spent meanwhile rolls all of it back.
    if (!ctx.repos.foundings.markUsed(founding.tokenHash, teamId, now)) usableFounding(ctx, body.token); // throws the reason
    ctx.repos.investigators.create({
      id: investigatorId, teamId, username: body.username, role: 'admin', ...account, createdDay: today, disabled: false,
    });
    ctx.audit.investigator('team.founded', investigatorId, null, {
      founding: founding.id, team: teamId, recoveryFingerprint: recovery.fingerprint,
    });
  });
  return { username: body.username, teamId, teamName: founding.teamName };
}
