/**
 * /join#found=<token>: the first administrator of a new team, invited by a
 * deployment administrator (server/teams/founding.ts). This browser makes the
 * team's recovery key and the founder's key, certifies the founder's key
 * with the recovery key (docs/protocol.md, "Pinned keys"), wraps the
 * founder's private key with their password, and posts once; then shows the
 * recovery key once, as at first setup (client/accounts/recovery-key.ts). The
 * recovery private key never leaves this browser.
 */
import type { FoundingAccepted, FoundingAcceptRequest, FoundingInfo, KdfParams } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { sealAccountKey } from '../lib/account-keys.ts';
import { postJson } from '../lib/api.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import type { JoinInput, JoinStep } from './create.ts';

export interface Founded {
  accepted: FoundingAccepted;
  recoveryKey: UnlockedKey;
  recoveryArmored: string;
}

export function foundingInfo(token: string): Promise<FoundingInfo> {
  return postJson<FoundingInfo>('/api/foundings/info', { token });
}

export async function foundTeam(input: JoinInput, teamName: string, token: string, kdf: KdfParams, onStep: (step: JoinStep) => void): Promise<Founded> {
  onStep('keys');
  const [recovery, founder] = await Promise.all([
    // Protocol v2: the recovery key names the team; the founder's key names nobody (crypto/keys.ts).
    crypto.generateKeyPair({ kind: 'recovery', teamName }),
    crypto.generateKeyPair({ kind: 'investigator' }),
  ]);
  try {
    // Exported before the POST, so a team never exists whose recovery key could not be shown.
    const recoveryArmored = await crypto.exportArmoredPrivateKey(recovery.privateKey);
    const publicKey = await crypto.certifyKey({ publicKey: founder.publicKey, certifier: recovery.privateKey });
    onStep('password');
    // The new team's trust root, from the recovery key made right here (docs/protocol.md "v2").
    const sealed = await sealAccountKey(founder.privateKey, input.password, kdf, { root: recovery.privateKey.fingerprint, sendTo: [] });
    onStep('send');
    const request: FoundingAcceptRequest = {
      token, username: input.username, displayName: input.displayName, publicKey, recoveryPublicKey: recovery.publicKey, ...sealed,
    };
    const accepted = await postJson<FoundingAccepted>('/api/foundings/accept', request);
    return { accepted, recoveryKey: recovery.privateKey, recoveryArmored };
  } catch (error) {
    recovery.privateKey.wipe();
    throw error;
  } finally {
    founder.privateKey.wipe();
  }
}
