/**
 * Creates the team in this browser: the recovery key pair and the admin's
 * key pair, the password-derived wrap key and verifier, then one POST. The
 * recovery private key is exported before the POST, so a team never exists
 * whose recovery key could not be shown. The admin's private key leaves only
 * wrapped; the recovery private key never leaves at all. The recovery key
 * certifies the admin's key (docs/protocol.md, "Pinned keys") before the POST.
 */
import type { KdfParams, SetupDone, SetupRequest } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { sealAccountKey } from '../lib/account-keys.ts';
import { postJson } from '../lib/api.ts';
import type { UnlockedKey } from '../lib/crypto.ts';

export interface SetupInput {
  teamName: string;
  channelName: string;
  slug: string;
  displayName: string;
  username: string;
  password: string;
}

export type SetupStep = 'keys' | 'password' | 'send';

export interface Created {
  done: SetupDone;
  recoveryKey: UnlockedKey;
  recoveryArmored: string;
}

export async function createTeam(input: SetupInput, setupToken: string, kdf: KdfParams, onStep: (step: SetupStep) => void): Promise<Created> {
  onStep('keys');
  const [recovery, admin] = await Promise.all([
    // Protocol v2: the recovery key names the team; the admin's key names nobody (crypto/keys.ts).
    crypto.generateKeyPair({ kind: 'recovery', teamName: input.teamName }),
    crypto.generateKeyPair({ kind: 'investigator' }),
  ]);
  try {
    const recoveryArmored = await crypto.exportArmoredPrivateKey(recovery.privateKey);
    onStep('password');
    // The workspace trust root (docs/protocol.md "v2"): this browser made the recovery key, so it knows the fingerprint.
    const sealed = await sealAccountKey(admin.privateKey, input.password, kdf, { root: recovery.privateKey.fingerprint, sendTo: [] });
    // The team's trust root vouches for its first member: report forms accept only keys it certified.
    const certified = await crypto.certifyKey({ publicKey: admin.publicKey, certifier: recovery.privateKey });
    onStep('send');
    const request: SetupRequest = {
      setupToken,
      team: { name: input.teamName, recoveryPublicKey: recovery.publicKey },
      admin: { username: input.username, displayName: input.displayName, publicKey: certified, ...sealed },
      channel: { name: input.channelName, slug: input.slug },
    };
    const done = await postJson<SetupDone>('/api/setup', request);
    return { done, recoveryKey: recovery.privateKey, recoveryArmored };
  } catch (error) {
    recovery.privateKey.wipe();
    throw error;
  } finally {
    admin.privateKey.wipe();
  }
}
