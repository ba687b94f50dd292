/**
 * Reading a public key sent by a client: its fingerprint and encryption key
 * ids, or 400 `invalid_public_key`.
 */
import { CryptoInputError, describePublicKey, describePublicKeyPackets } from '../../crypto/index.ts';
import type { PublicKeyInfo } from '../../crypto/index.ts';
import { HttpError } from '../errors.ts';

async function described(field: string, read: () => Promise<PublicKeyInfo>): Promise<PublicKeyInfo> {
  try {
    const info = await read();
    if (info.encryptionKeyIds.length === 0) throw new CryptoInputError('no encryption key');
    return info;
  } catch (error) {
    if (error instanceof CryptoInputError) {
      throw new HttpError(400, 'invalid_public_key', `${field}: ${error.message}`);
    }
    throw error;
  }
}

/** An investigator's or a recovery key: parsed by openpgp.js, self-signatures verified. */
export function describeKey(field: string, armored: string): Promise<PublicKeyInfo> {
  return described(field, () => describePublicKey(armored));
}

/**
 * The reporter's key at intake: read from its packets alone (crypto/key-inspect.ts:
 * a tenth of openpgp.js's cost, the same answer), its signatures not checked —
 * it comes from the same browser as the report, and the team's browser
 * verifies it before encrypting a reply.
 */
export function describeReporterKey(field: string, armored: string): Promise<PublicKeyInfo> {
  return described(field, () => describePublicKeyPackets(armored));
}
