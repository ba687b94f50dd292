/**
 * Makes the newcomer's account in this browser: their key pair, the
 * password-derived wrap key and verifier (as client/setup/create.ts does for
 * the first administrator, with the same crypto/ calls), then one POST. The
 * private key leaves only wrapped; the password never leaves.
 */
import type { InviteAccepted, InviteAcceptRequest, KdfParams } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { postJson } from '../lib/api.ts';

export interface JoinInput {
  username: string;
  displayName: string;
  password: string;
}

export type JoinStep = 'keys' | 'password' | 'send';

export async function joinTeam(input: JoinInput, token: string, kdf: KdfParams, onStep: (step: JoinStep) => void): Promise<InviteAccepted> {
  onStep('keys');
  const pair = await crypto.generateKeyPair({ name: input.displayName });
  try {
    onStep('password');
    const salt = crypto.newSalt();
    const secrets = await crypto.derivePasswordSecrets(input.password, salt, kdf);
    let wrappedPrivateKey: string;
    try {
      wrappedPrivateKey = await crypto.wrapKey({ key: pair.privateKey, wrapKey: secrets.wrapKey, purpose: 'investigator' });
    } finally {
      secrets.wrapKey.fill(0);
    }
    onStep('send');
    const request: InviteAcceptRequest = {
      token, username: input.username, displayName: input.displayName, salt, verifier: secrets.verifier,
      publicKey: pair.publicKey, wrappedPrivateKey,
    };
    return await postJson<InviteAccepted>('/api/invites/accept', request);
  } finally {
    pair.privateKey.wipe();
  }
}
