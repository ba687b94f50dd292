/**
 * Makes the newcomer's account in this browser: their key pair, the
 * password-derived wrap key and verifier (client/lib/account-keys.ts, as for the
 * first administrator), then one POST. The
 * private key leaves only wrapped; the password never leaves.
 */
import type { InviteAccepted, InviteAcceptRequest, KdfParams } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { sealAccountKey } from '../lib/account-keys.ts';
import { postJson } from '../lib/api.ts';

export interface JoinInput {
  username: string;
  displayName: string;
  password: string;
}

export type JoinStep = 'keys' | 'password' | 'send';

/** `root`: the team's recovery fingerprint from the link's fragment (put there by the inviting administrator's browser), or null for a link made before v2. */
export async function joinTeam(
  input: JoinInput, token: string, root: string | null, kdf: KdfParams, onStep: (step: JoinStep) => void,
): Promise<InviteAccepted> {
  onStep('keys');
  const pair = await crypto.generateKeyPair({ kind: 'investigator' }) // v2: a key names nobody (crypto/keys.ts);
  try {
    onStep('password');
    const sealed = await sealAccountKey(pair.privateKey, input.password, kdf, root ? { root, sendTo: [] } : null);
    onStep('send');
    const request: InviteAcceptRequest = {
      token, username: input.username, displayName: input.displayName, publicKey: pair.publicKey, ...sealed,
    };
    return await postJson<InviteAccepted>('/api/invites/accept', request);
  } finally {
    pair.privateKey.wipe();
  }
}
