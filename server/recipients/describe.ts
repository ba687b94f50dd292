/**
 * Reading a public key sent by a client: its fingerprint and encryption key
 * ids (crypto's describePublicKey), or 400 `invalid_public_key`.
 */
import { CryptoInputError, describePublicKey } from '../../crypto/index.ts';
import type { PublicKeyInfo } from '../../crypto/index.ts';
import { HttpError } from '../errors.ts';

export async function describeKey(field: string, armored: string, opts: { verifySignatures?: boolean } = {}): Promise<PublicKeyInfo> {
  try {
    const info = await describePublicKey(armored, opts);
    if (info.encryptionKeyIds.length === 0) throw new CryptoInputError('no encryption key');
    return info;
  } catch (error) {
    if (error instanceof CryptoInputError) {
      throw new HttpError(400, 'invalid_public_key', `${field}: ${error.message}`);
    }
    throw error;
  }
}
