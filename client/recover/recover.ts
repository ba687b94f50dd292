/**
 * Team recovery in this browser (docs/protocol.md, "Recovery"): the recovery
 * key proves itself by signing the server's single-use challenge bound to the
 * new account; the new administrator's key is made here and certified by the
 * recovery key; then the browser signs in as them and re-wraps every earlier
 * case of the team to them with the recovery key (client/team/share.ts).
 * The recovery key and the password never leave the browser.
 */
import type { LoginParams, RecoveryChallenge, RecoveryDone, RecoveryRequest, Session } from '../../common/api.ts';
import { recoveryStatement } from '../../common/recovery.ts';
import * as crypto from '../../crypto/index.ts';
import { sealAccountKey } from '../lib/account-keys.ts';
import { postJson } from '../lib/api.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import { lock, unlock } from '../team/keyring.ts';
import { shareExistingCases, type ShareProgress } from '../team/share.ts';

export interface RecoverInput {
  recoveryKey: UnlockedKey;
  username: string;
  displayName: string;
  password: string;
}

export type RecoverStep = 'keys' | 'prove' | 'signIn';

export interface Recovered extends RecoveryDone {
  progress: ShareProgress;
}

export async function recoverTeam(
  input: RecoverInput, onStep: (step: RecoverStep) => void, onProgress: (progress: ShareProgress) => void,
): Promise<Recovered> {
  onStep('keys');
  const pair = await crypto.generateKeyPair({ name: input.displayName });
  let done: RecoveryDone;
  try {
    const publicKey = await crypto.certifyKey({ publicKey: pair.publicKey, certifier: input.recoveryKey });
    const { challenge, kdf } = await postJson<RecoveryChallenge>('/api/recovery/challenge', {});
    const sealed = await sealAccountKey(pair.privateKey, input.password, kdf);
    onStep('prove');
    const statement = recoveryStatement({ challenge, username: input.username, verifier: sealed.verifier });
    const signature = await crypto.signPossession({ text: statement, key: input.recoveryKey });
    const request: RecoveryRequest = {
      recoveryFingerprint: input.recoveryKey.fingerprint.toLowerCase(), challenge, signature,
      username: input.username, displayName: input.displayName, publicKey, ...sealed,
    };
    done = await postJson<RecoveryDone>('/api/recovery', request);
  } finally {
    pair.privateKey.wipe();
  }

  onStep('signIn');
  const params = await postJson<LoginParams>('/api/auth/params', { username: input.username });
  const secrets = await crypto.derivePasswordSecrets(input.password, params.salt, params.kdf);
  try {
    const session = await postJson<Session>('/api/auth/login', { username: input.username, verifier: secrets.verifier });
    await unlock(session, secrets.wrapKey);
  } finally {
    secrets.wrapKey.fill(0);
  }
  try {
    const progress = await shareExistingCases({ investigatorId: done.investigatorId, recoveryKey: input.recoveryKey, onProgress });
    return { ...done, progress };
  } finally {
    lock('logout');
  }
}
