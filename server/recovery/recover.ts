/**
 * Team recovery when every password is lost (docs/protocol.md, "Recovery"):
 * whoever holds the team's offline recovery key proves it by signing a
 * single-use challenge with it (bound to the new account,
 * common/recovery.ts), and gets a new administrator account — its key made
 * in their browser and certified by the recovery key, admitted at once. The
 * browser then signs in and re-wraps every earlier case to the new
 * administrator with the recovery key (client/recover/).
 *
 * Failures are throttled per client (server/security/throttle.ts) and a
 * wrong signature for a known team is audited.
 */
import type { RecoveryDone, RecoveryRequest } from '../../common/api.ts';
import { recoveryStatement } from '../../common/recovery.ts';
import { verifyPossession } from '../../crypto/index.ts';
import type { Request } from 'express';
import { prepareAccount } from '../auth/new-account.ts';
import { dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomId } from '../security/secrets.ts';
import { clientKey } from '../security/throttle.ts';
import { assertCertified } from '../people/certification.ts';
import { checkRecoveryChallenge, spendRecoveryChallenge } from './challenge.ts';

export async function recoverTeam(ctx: AppContext, req: Request, body: RecoveryRequest): Promise<RecoveryDone> {
  const throttle = ctx.throttles.recoveryByClient;
  const client = clientKey(req);
  // Counted before the signature check is awaited, refunded on success (server/auth/throttle-race.test.ts).
  const wait = throttle.take(client);
  if (wait > 0) {
    throw new HttpError(429, 'too_many_attempts', 'too many failed recoveries; wait and try again', { 'Retry-After': String(wait) });
  }
  let challenge: ReturnType<typeof checkRecoveryChallenge>;
  try {
    challenge = checkRecoveryChallenge(ctx, body.challenge);
  } catch (error) {
    throttle.refund(client); // a stale or broken challenge tests no key: not counted, as before
    throw error;
  }
  const teamId = ctx.repos.members.teamIdByRecoveryFingerprint(body.recoveryFingerprint);
  const team = teamId === undefined ? undefined : ctx.repos.teams.find(teamId);
  if (!team) {
    throw new HttpError(404, 'recovery_key_unknown', 'this recovery key belongs to no team on this server; check that you loaded the right file');
  }
  const statement = recoveryStatement({ challenge: body.challenge, username: body.username, verifier: body.verifier });
  if (!(await verifyPossession({ text: statement, signature: body.signature, publicKey: team.recoveryPublicKey }))) {
    ctx.audit.investigator('team.recovery_failed', null, null, { team: team.id });
    throw new HttpError(403, 'signature_invalid', "the signature is not the team's recovery key's; load the recovery key file again");
  }
  throttle.refund(client); // the signature is the recovery key's: not a guess
  await assertCertified('publicKey', body.publicKey, team.recoveryPublicKey);
  if (ctx.repos.investigators.findByUsername(body.username)) throw new HttpError(409, 'username_taken', 'this username is taken; choose another');
  const account = await prepareAccount(body);

  const investigatorId = randomId();
  const today = dayOf(ctx.clock.now());
  ctx.repos.transaction(() => {
    spendRecoveryChallenge(ctx, challenge);
    if (ctx.repos.investigators.findByUsername(body.username)) throw new HttpError(409, 'username_taken', 'this username is taken; choose another');
    ctx.repos.investigators.create({
      id: investigatorId, teamId: team.id, username: body.username, role: 'admin', ...account,
      createdDay: today, admittedDay: today, disabled: false,
    });
    ctx.audit.investigator('team.recovered', investigatorId, null, {
      team: team.id, member: investigatorId, recoveryFingerprint: team.recoveryFingerprint,
    });
  });
  return { investigatorId, username: body.username, teamName: team.name };
}
