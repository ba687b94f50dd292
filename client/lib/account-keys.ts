/**
 * The password side of a new investigator account, made in this browser
 * (docs/protocol.md §3): a fresh salt, the login verifier, and the private
 * key wrapped by the password-derived key, which is wiped at once. Used by
 * the first administrator's setup and by invited newcomers.
 */
import type { KdfParams } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import type { UnlockedKey } from './crypto.ts';

export interface SealedAccountKey {
  salt: string;
  verifier: string;
  wrappedPrivateKey: string;
}

export async function sealAccountKey(key: UnlockedKey, password: string, kdf: KdfParams): Promise<SealedAccountKey> {
  const salt = crypto.newSalt();
  const secrets = await crypto.derivePasswordSecrets(password, salt, kdf);
  try {
    const wrappedPrivateKey = await crypto.wrapKey({ key, wrapKey: secrets.wrapKey, purpose: 'investigator' });
    return { salt, verifier: secrets.verifier, wrappedPrivateKey };
  } finally {
    secrets.wrapKey.fill(0);
  }
}
