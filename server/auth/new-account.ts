/**
 * Turning what a browser sent to create an investigator account (common/api.ts
 * `newAccount`: first administrator at setup, or a newcomer by invite) into
 * the stored fields: the public key checked and described, the wrapped key
 * checked to be base64url, the login verifier re-hashed slowly. Done before
 * the caller's transaction, since the slow hash must not hold it.
 */
import type { InvestigatorRecord } from '../../db/index.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import { decodeField } from '../encoding.ts';
import { describeKey } from '../recipients/describe.ts';
import { hashVerifier } from './verifier-hash.ts';

export interface NewAccount {
  displayName: string;
  salt: string;
  verifier: string;
  publicKey: string;
  wrappedPrivateKey: string;
}

export type AccountFields = Omit<InvestigatorRecord, 'id' | 'teamId' | 'username' | 'role' | 'createdDay' | 'disabled' | 'admittedDay'>;

/** `field` prefixes error messages with where the account sits in the request ('admin.' or ''). */
export async function prepareAccount(account: NewAccount, field = ''): Promise<AccountFields> {
  const key = await describeKey(`${field}publicKey`, account.publicKey);
  decodeField(`${field}wrappedPrivateKey`, account.wrappedPrivateKey);
  return {
    displayName: account.displayName,
    passwordSalt: account.salt,
    kdf: { ...PASSWORD_KDF_PARAMS },
    ...(await hashVerifier(account.verifier)),
    publicKey: account.publicKey,
    fingerprint: key.fingerprint,
    encryptionKeyIds: key.encryptionKeyIds,
    wrappedPrivateKey: account.wrappedPrivateKey,
  };
}
