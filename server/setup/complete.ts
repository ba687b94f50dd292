/**
 * First-run setup: the holder of the setup link creates the first team (with
 * its recovery public key), its administrator, and an intake channel. All in
 * one transaction that also spends the link, so two racing submissions
 * cannot both succeed.
 */
import type { SetupDone, SetupRequest } from '../../common/api.ts';
import { pinsFragment } from '../../common/channel-link.ts';
import { dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { describeKey } from '../recipients/describe.ts';
import { randomId } from '../security/secrets.ts';
import { prepareAccount } from '../auth/new-account.ts';
import { assertCertified } from '../people/certification.ts';
import { checkSetupToken } from './setup-token.ts';

function assertNotSetUp(ctx: Pick<AppContext, 'repos'>): void {
  if (ctx.repos.investigators.adminExists()) {
    throw new HttpError(409, 'already_set_up', 'this server already has an administrator');
  }
}

export async function completeSetup(ctx: AppContext, body: SetupRequest): Promise<SetupDone> {
  assertNotSetUp(ctx);
  const tokenHash = checkSetupToken(ctx, body.setupToken);
  const recovery = await describeKey('team.recoveryPublicKey', body.team.recoveryPublicKey);
  const admin = await prepareAccount(body.admin, 'admin.');
  if (recovery.fingerprint === admin.fingerprint) {
    throw new HttpError(400, 'invalid_public_key', 'the recovery key and the administrator key must differ');
  }
  // The browser certified the administrator's key with the new recovery key (docs/protocol.md, "Pinned keys").
  await assertCertified('admin.publicKey', body.admin.publicKey, body.team.recoveryPublicKey);

  const now = ctx.clock.now();
  const today = dayOf(now);
  const teamId = randomId();
  ctx.repos.transaction(() => {
    // Re-checked inside the transaction: the awaits above let others run.
    assertNotSetUp(ctx);
    if (!ctx.repos.setup.markUsed(tokenHash, now)) {
      throw new HttpError(410, 'setup_link_used', 'this setup link was already used');
    }
    ctx.repos.teams.create({
      id: teamId,
      name: body.team.name,
      recoveryPublicKey: body.team.recoveryPublicKey,
      recoveryFingerprint: recovery.fingerprint,
      recoveryKeyIds: recovery.encryptionKeyIds,
      createdDay: today,
      runsDeployment: true,
    });
    ctx.repos.investigators.create({
      id: randomId(), teamId, username: body.admin.username, role: 'admin', ...admin, createdDay: today, disabled: false,
    });
    ctx.repos.channels.create({ slug: body.channel.slug, name: body.channel.name, createdDay: today, teamIds: [teamId] });
    ctx.audit.system('setup.completed', { teamId, channel: body.channel.slug });
  });
  // With the pin: the link a poster prints (common/channel-link.ts), without the origin.
  const done = { teamId, channelSlug: body.channel.slug, reportPath: `/r/${body.channel.slug}${pinsFragment([recovery.fingerprint])}` };
  return ctx.config.workerOrigin ? { ...done, workerOrigin: ctx.config.workerOrigin } : done;
}
