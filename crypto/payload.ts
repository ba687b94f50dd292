/**
 * Encryption of everything a reporter or an investigator writes: padded, then
 * encrypted to a set of OpenPGP public keys (SEIPD v1, AES-256, one PKESK per
 * recipient). The literal packet carries no file name and a zero date, so the
 * ciphertext does not say when it was written.
 */
import { DecryptError, CryptoInputError } from './errors.ts';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from './encoding.ts';
import type { UnlockedKey } from './keys.ts';
import { openpgp, PGP_CONFIG } from './openpgp.ts';
import { pad, unpad } from './padding.ts';

const LITERAL_DATE = new Date(0);

async function readRecipients(armored: string[]): Promise<openpgp.Key[]> {
  if (armored.length === 0) throw new CryptoInputError('a message needs at least one recipient');
  try {
    return await Promise.all(armored.map((armoredKey) => openpgp.readKey({ armoredKey })));
  } catch {
    throw new CryptoInputError('a recipient key is not an OpenPGP public key');
  }
}

/**
 * Key validity is checked at a date no earlier than the newest recipient key,
 * so that a phone whose clock runs behind can still encrypt.
 */
function validityDate(keys: openpgp.Key[]): Date {
  const newest = Math.max(...keys.map((key) => key.getCreationTime().getTime()));
  return new Date(Math.max(Date.now(), newest + 1000));
}

export async function encryptPayload(opts: { data: Uint8Array; recipients: string[] }): Promise<Uint8Array> {
  const keys = await readRecipients(opts.recipients);
  const message = await openpgp.createMessage({ binary: pad(opts.data), format: 'binary', date: LITERAL_DATE });
  return openpgp.encrypt({ message, encryptionKeys: keys, format: 'binary', date: validityDate(keys), config: PGP_CONFIG });
}

/** Throws DecryptError when the key is not a recipient or the data is damaged. */
export async function decryptPayload(opts: { ciphertext: Uint8Array; key: UnlockedKey }): Promise<Uint8Array> {
  try {
    const message = await openpgp.readMessage({ binaryMessage: opts.ciphertext });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: opts.key.pgp, format: 'binary', config: PGP_CONFIG });
    return unpad(data);
  } catch (error) {
    throw new DecryptError(error instanceof Error ? `cannot decrypt: ${error.message}` : 'cannot decrypt');
  }
}

/** JSON in, base64url ciphertext out: what the API carries. */
export async function encryptJson(opts: { value: unknown; recipients: string[] }): Promise<string> {
  return toBase64Url(await encryptPayload({ data: utf8(JSON.stringify(opts.value)), recipients: opts.recipients }));
}

export async function decryptJson(opts: { ciphertext: string; key: UnlockedKey }): Promise<unknown> {
  const plain = await decryptPayload({ ciphertext: fromBase64Url(opts.ciphertext), key: opts.key });
  try {
    return JSON.parse(fromUtf8(plain));
  } catch {
    throw new DecryptError('decrypted data is not JSON');
  }
}
