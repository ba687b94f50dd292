/**
 * Reading a public key sent by a client: its fingerprint and encryption key
 * ids, or 400 `invalid_public_key`.
 */
import { CryptoInputError, describePublicKey, encryptionKeyIdReader } from '../../crypto/index.ts';
import type { PublicKeyInfo } from '../../crypto/index.ts';
import { HttpError } from '../errors.ts';

function checked<Info extends Pick<PublicKeyInfo, 'encryptionKeyIds'>>(info: Info): Info {
  if (info.encryptionKeyIds.length === 0) throw new CryptoInputError('no encryption key');
  return info;
}

function refused(field: string, error: unknown): unknown {
  return error instanceof CryptoInputError ? new HttpError(400, 'invalid_public_key', `${field}: ${error.message}`) : error;
}

async function described(field: string, read: () => Promise<PublicKeyInfo>): Promise<PublicKeyInfo> {
  try {
    return checked(await read());
  } catch (error) {
    throw refused(field, error);
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
 * verifies it before encrypting a reply. A synchronous reader, once loaded:
 * intake reads the key inside its transaction (server/intake/receive.ts).
 */
export async function reporterKeyReader(field: string): Promise<(armored: string) => Pick<PublicKeyInfo, 'encryptionKeyIds'>> {
  const read = await encryptionKeyIdReader();
  return (armored) => {
    try {
      return checked(read(armored));
    } catch (error) {
      throw refused(field, error);
    }
  };
}
