/**
 * Short texts encrypted as an ASCII-armored OpenPGP message, for e-mail: an
 * investigator's mail client (or `gpg --decrypt`) opens it as it is. Not
 * padded — the texts are the server's own notices, never report content —
 * and, like every Ombud message, SEIPD v1 without compression (./openpgp.ts).
 */
import { CryptoInputError, DecryptError } from './errors.ts';
import type { UnlockedKey } from './keys.ts';
import { openpgp, PGP_CONFIG } from './openpgp.ts';

export async function encryptText(opts: { text: string; recipients: string[] }): Promise<string> {
  if (opts.recipients.length === 0) throw new CryptoInputError('a message needs at least one recipient');
  let keys: openpgp.Key[];
  try {
    keys = await Promise.all(opts.recipients.map((armoredKey) => openpgp.readKey({ armoredKey })));
  } catch {
    throw new CryptoInputError('a recipient key is not an OpenPGP public key');
  }
  const message = await openpgp.createMessage({ text: opts.text, date: new Date(0) });
  return openpgp.encrypt({ message, encryptionKeys: keys, format: 'armored', config: PGP_CONFIG });
}

/** Throws DecryptError when the key is not a recipient or the text is not an armored message. */
export async function decryptText(opts: { armored: string; key: UnlockedKey }): Promise<string> {
  try {
    const message = await openpgp.readMessage({ armoredMessage: opts.armored });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: opts.key.pgp, config: PGP_CONFIG });
    return data;
  } catch (error) {
    throw new DecryptError(error instanceof Error ? `cannot decrypt: ${error.message}` : 'cannot decrypt');
  }
}
