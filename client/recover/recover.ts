/**
 * Team recovery in this browser (docs/protocol.md, "Recovery"): the recovery
 * key proves itself by signing the server's single-use challenge bound to the
 * new account; the new administrator's key is made here and certified by the
 * recovery key; then the browser signs in as them and re-wraps every earlier
 * case of the team to them with the recovery key (client/accounts/share.ts).
 * The recovery key and the password never leave the browser.
 *
 * Resumable: if the account was made but signing in or re-wrapping was cut
 * off, the same username and password with the same recovery key carry on
 * (the server answers `username_taken`; the password then signs in to an
 * administrator of this very team, and the re-wrapping continues).
 */
import type { LoginParams, RecoveryChallenge, RecoveryDone, RecoveryRequest, Session } from '../../common/api.ts';
import { recoveryStatement } from '../../common/recovery.ts';
import * as crypto from '../../crypto/index.ts';
import { sealAccountKey } from '../lib/account-keys.ts';
import { ApiError, postJson } from '../lib/api.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import { lock, trustRoot, unlock, withKey } from '../accounts/keyring.ts';
import { shareExistingCases, type ShareProgress } from '../accounts/share.ts';

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

async function createAdministrator(input: RecoverInput, onStep: (step: RecoverStep) => void): Promise<RecoveryDone> {
  onStep('keys');
  const pair = await crypto.generateKeyPair({ kind: 'investigator' }) // v2: a key names nobody (crypto/keys.ts);
  try {
    const publicKey = await crypto.certifyKey({ publicKey: pair.publicKey, certifier: input.recoveryKey });
    const { challenge, kdf } = await postJson<RecoveryChallenge>('/api/recovery/challenge', {});
    // The trust root is the recovery key in hand (docs/protocol.md "v2").
    const sealed = await sealAccountKey(pair.privateKey, input.password, kdf, { root: input.recoveryKey.fingerprint, sendTo: [] });
    onStep('prove');
    const statement = recoveryStatement({ challenge, username: input.username, verifier: sealed.verifier });
    const signature = await crypto.signPossession({ text: statement, key: input.recoveryKey });
    const request: RecoveryRequest = {
      recoveryFingerprint: input.recoveryKey.fingerprint.toLowerCase(), challenge, signature,
      username: input.username, displayName: input.displayName, publicKey, ...sealed,
    };
    return await postJson<RecoveryDone>('/api/recovery', request);
  } finally {
    pair.privateKey.wipe();
  }
}

/** Signs in and unlocks the keyring; undefined for a wrong password. */
async function signIn(username: string, password: string): Promise<Session | undefined> {
  const params = await postJson<LoginParams>('/api/auth/params', { username });
  const secrets = await crypto.derivePasswordSecrets(password, params.salt, params.kdf);
  try {
    const session = await postJson<Session>('/api/auth/login', { username, verifier: secrets.verifier });
    await unlock(session, secrets.wrapKey);
    return session;
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) return undefined;
    throw failure;
  } finally {
    secrets.wrapKey.fill(0);
  }
}

export async function recoverTeam(
  input: RecoverInput, onStep: (step: RecoverStep) => void, onProgress: (progress: ShareProgress) => void,
): Promise<Recovered> {
  let created: RecoveryDone | undefined;
  try {
    created = await createAdministrator(input, onStep);
  } catch (failure) {
    if (!(failure instanceof ApiError && failure.code === 'username_taken')) throw failure;
  }
  onStep('signIn');
  const session = await signIn(input.username, input.password);
  const me = session?.investigator;
  // Ours if the root sealed in the account's envelope is this recovery key (not the server's word for the team's fingerprint).
  const ours = me && me.role === 'admin' && trustRoot()?.root === input.recoveryKey.fingerprint.toLowerCase();
  if (!session || !ours) {
    lock('logout');
    // Not an account this recovery made: the username belongs to someone else.
    throw created ? new ApiError(401, 'invalid_credentials', 'the new account does not sign in') : new ApiError(409, 'username_taken', 'this username is taken');
  }
  try {
    const progress = await shareExistingCases({
      investigatorId: me.id, memberFingerprint: await withKey(async (key) => key.fingerprint), recoveryKey: input.recoveryKey, onProgress });
    return { investigatorId: me.id, username: me.username, teamName: me.teamName, progress };
  } finally {
    lock('logout');
  }
}
