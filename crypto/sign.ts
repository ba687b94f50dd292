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

/** An armored detached signature by `key` over `bytes` (each caller puts its own purpose prefix first). */
export async function signDetached(bytes: Uint8Array, key: UnlockedKey): Promise<string> {
  const message = await openpgp.createMessage({ binary: bytes });
  return openpgp.sign({ message, signingKeys: key.pgp, detached: true, format: 'armored', date: signatureDate(key), config: PGP_CONFIG });
}

/**
 * Whether `signature` is exactly one valid signature over `bytes` by one of
 * `publicKeys` (false for a malformed or wrong signature, or no key);
 * CryptoInputError when a key is not an OpenPGP public key.
 */
export async function verifyDetached(bytes: Uint8Array, signature: string, publicKeys: readonly string[]): Promise<boolean> {
  if (publicKeys.length === 0) return false;
  let verificationKeys: openpgp.Key[];
  try {
    verificationKeys = await Promise.all(publicKeys.map((armoredKey) => openpgp.readKey({ armoredKey })));
  } catch {
    throw new CryptoInputError('not an OpenPGP public key');
  }
  try {
    const read = await openpgp.readSignature({ armoredSignature: signature });
    const message = await openpgp.createMessage({ binary: bytes });
    const { signatures } = await openpgp.verify({ message, signature: read, verificationKeys, config: FULL_CONFIG });
    if (signatures.length !== 1) return false;
    await signatures[0]!.verified;
    return true;
  } catch {
    return false;
  }
}

/** An armored detached signature by `key` over `purpose ‖ text`. */
export function signPossession(opts: { text: string; key: UnlockedKey }): Promise<string> {
  return signDetached(utf8(PREFIX + opts.text), opts.key);
}

/** Whether `signature` is a valid signature by `publicKey` over `text` (false for any malformed input but the key). */
export function verifyPossession(opts: { text: string; signature: string; publicKey: string }): Promise<boolean> {
  return verifyDetached(utf8(PREFIX + opts.text), opts.signature, [opts.publicKey]);
}

/**
 * A deployment's own recording of a listen prompt (docs/protocol.md, "v2:
 * recorded prompts"): the administrator's browser signs, with the
 * administrator's investigator key, the language, the clip id and the
 * SHA-256 of the exact Ogg bytes; the worker's page plays the recording only
 * if that signature holds and the signer is certified by a recovery key its
 * link pins. Its own purpose prefix: never a proof of possession, nor the
 * reverse.
 */
const PROMPT_PREFIX = 'ombud/recorded-prompt/v1:';

/** What is signed: one line each, so that no choice of clip id can shift the others. */
export function promptStatement(lang: string, clip: string, sha256Hex: string): string {
  if (/[\n\r]/.test(lang + clip) || !/^[0-9a-f]{64}$/.test(sha256Hex)) throw new CryptoInputError('not a prompt statement');
  return `${PROMPT_PREFIX}${lang}\n${clip}\n${sha256Hex}`;
}

export function signPrompt(opts: { lang: string; clip: string; sha256: string; key: UnlockedKey }): Promise<string> {
  return signDetached(utf8(promptStatement(opts.lang, opts.clip, opts.sha256)), opts.key);
}

/** Whether `signature` is a valid signature by `publicKey` over this recording (false for any malformed input). */
export async function verifyPrompt(opts: { lang: string; clip: string; sha256: string; signature: string; publicKey: string }): Promise<boolean> {
  try {
    return await verifyDetached(utf8(promptStatement(opts.lang, opts.clip, opts.sha256)), opts.signature, [opts.publicKey]);
  } catch {
    return false;
  }
}
