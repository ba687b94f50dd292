/**
 * Proof of possession of a private key: a detached OpenPGP signature over a
 * short text (the server's single-use recovery challenge). The text is
 * prefixed with a purpose so that a signature made here can never be taken
 * for a signature over anything else the key signs (certifications are
 * another signature type over other data anyway).
 */
import { CryptoInputError } from './errors.ts';
import { utf8 } from './encoding.ts';
import type { UnlockedKey } from './keys.ts';
import { FULL_CONFIG, openpgp, PGP_CONFIG } from './openpgp.ts';

const PREFIX = 'ombud/proof-of-possession/v1:';

/**
 * Dated five minutes back (never before the key itself): the challenge is
 * what makes the proof fresh, and a browser clock a little ahead of the
 * server's must not make the signature "from the future".
 */
function signatureDate(key: UnlockedKey): Date {
  return new Date(Math.max(Date.now() - 5 * 60_000, key.pgp.getCreationTime().getTime() + 1000));
}

/** An armored detached signature by `key` over `purpose ‖ text`. */
export async function signPossession(opts: { text: string; key: UnlockedKey }): Promise<string> {
  const message = await openpgp.createMessage({ binary: utf8(PREFIX + opts.text) });
  return openpgp.sign({
    message, signingKeys: opts.key.pgp, detached: true, format: 'armored', date: signatureDate(opts.key), config: PGP_CONFIG,
  });
}

/** Whether `signature` is a valid signature by `publicKey` over `text` (false for any malformed input). */
export async function verifyPossession(opts: { text: string; signature: string; publicKey: string }): Promise<boolean> {
  let verificationKey: openpgp.Key;
  try {
    verificationKey = await openpgp.readKey({ armoredKey: opts.publicKey });
  } catch {
    throw new CryptoInputError('not an OpenPGP public key');
  }
  try {
    const signature = await openpgp.readSignature({ armoredSignature: opts.signature });
    const message = await openpgp.createMessage({ binary: utf8(PREFIX + opts.text) });
    const { signatures } = await openpgp.verify({ message, signature, verificationKeys: verificationKey, config: FULL_CONFIG });
    if (signatures.length !== 1) return false;
    await signatures[0]!.verified;
    return true;
  } catch {
    return false;
  }
}
