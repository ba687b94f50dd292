/**
 * OpenPGP key pairs: made in the browser, wrapped before they leave it.
 * A private key in memory lives only inside an UnlockedKey, which callers
 * release with wipe() (logout, idle, leaving the status page).
 */
import { CryptoInputError } from './errors.ts';
import { fromBase64Url, toBase64Url, wipe } from './encoding.ts';
import { FULL_CONFIG, openpgp, PGP_CONFIG } from './openpgp.ts';
import { unwrapBytes, wrapBytes, type WrapPurpose } from './wrap.ts';

/**
 * Reporter keys all carry this creation date, so that a public key stored on
 * the server says nothing about when the worker reported (OpenPGP keys carry
 * their creation time to the second).
 */
export const REPORTER_KEY_DATE = new Date(Date.UTC(2020, 0, 1));

/** An unlocked private key. Opaque outside crypto/. */
export class UnlockedKey {
  #key: openpgp.PrivateKey | undefined;
  constructor(key: openpgp.PrivateKey) {
    this.#key = key;
  }
  /** For crypto/ only. */
  get pgp(): openpgp.PrivateKey {
    if (!this.#key) throw new Error('this key was wiped');
    return this.#key;
  }
  get fingerprint(): string {
    return this.pgp.getFingerprint();
  }
  get wiped(): boolean {
    return this.#key === undefined;
  }
  /** Zeroes the private parameters and forgets the key. */
  wipe(): void {
    (this.#key as unknown as { clearPrivateParams?: () => void } | undefined)?.clearPrivateParams?.();
    this.#key = undefined;
  }
}

export interface KeyPair {
  publicKey: string;
  privateKey: UnlockedKey;
}

/**
 * Every key the public or a reporter can fetch carries the same creation date
 * and no person's name (docs/protocol.md, "v2: status page trust"): a key
 * says nothing about who holds it or when they joined. Self-signatures are
 * dated the same; so are certifications made by ./certify.ts.
 */
export const NEUTRAL_KEY_DATE = REPORTER_KEY_DATE;
/** The user id of every investigator key made since protocol v2: the team knows its members by the server's names, a key names nobody. */
export const INVESTIGATOR_USER_ID = 'Ombud investigator';
/** The comment of a recovery key's user id since v2; its name is the team's name, which a report form shows next to the tick box. */
export const RECOVERY_KEY_COMMENT = 'Ombud recovery key';

export type KeySpec =
  | { kind: 'reporter' }
  | { kind: 'investigator' }
  /** A team's recovery key: its self-signed user id carries the team's name. */
  | { kind: 'recovery'; teamName: string }
  /**
   * Before v2: a user id of the caller's choosing (tests and tools only; the
   * pages use the kinds above). Dated NEUTRAL_KEY_DATE like the others.
   */
  | { name: string; kind?: 'reporter' | 'team' };

function userIdOf(spec: KeySpec): { name: string; comment?: string } {
  if ('name' in spec) return { name: spec.name };
  if (spec.kind === 'reporter') return { name: 'Ombud reporter' };
  if (spec.kind === 'investigator') return { name: INVESTIGATOR_USER_ID };
  const teamName = spec.teamName.trim();
  if (!teamName) throw new CryptoInputError('a recovery key needs its team\'s name');
  return { name: teamName, comment: RECOVERY_KEY_COMMENT };
}

/**
 * A GnuPG-compatible v4 ECC key pair, dated NEUTRAL_KEY_DATE (so a server or
 * a browser whose clock runs behind still accepts it, and the key tells no
 * time), with a user id from its kind: no person's name ever goes in.
 */
export async function generateKeyPair(spec: KeySpec): Promise<KeyPair> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    userIDs: [userIdOf(spec)],
    date: NEUTRAL_KEY_DATE,
    format: 'object',
    config: PGP_CONFIG,
  });
  return { publicKey: publicKey.armor(FULL_CONFIG), privateKey: new UnlockedKey(privateKey) };
}

export async function wrapKey(opts: { key: UnlockedKey; wrapKey: Uint8Array; purpose: WrapPurpose }): Promise<string> {
  const binary = opts.key.pgp.write();
  try {
    return toBase64Url(await wrapBytes(opts.wrapKey, binary, opts.purpose));
  } finally {
    wipe(binary);
  }
}

/** Throws WrongKeyError for a wrong password or token. */
export async function unwrapKey(opts: { wrapped: string; wrapKey: Uint8Array; purpose: WrapPurpose }): Promise<UnlockedKey> {
  const binary = await unwrapBytes(opts.wrapKey, fromBase64Url(opts.wrapped), opts.purpose);
  try {
    // openpgp keeps views into the buffer it parses: give it its own copy,
    // which UnlockedKey.wipe() clears, and wipe this one.
    return new UnlockedKey(await openpgp.readPrivateKey({ binaryKey: binary.slice() }));
  } finally {
    wipe(binary);
  }
}

/**
 * The armored public half of an unlocked key. The status page encrypts a
 * reporter's follow-ups to this, never to a public key the server names
 * (docs/protocol.md, "v2: status page trust").
 */
export function publicKeyOf(key: UnlockedKey): string {
  return key.pgp.toPublic().armor(FULL_CONFIG);
}

/** Armored, unprotected: for the printed recovery key and export to GnuPG. */
export async function exportArmoredPrivateKey(key: UnlockedKey): Promise<string> {
  return key.pgp.armor(FULL_CONFIG);
}

/** Reads an armored private key (a team's recovery key, a fixture). */
export async function readArmoredPrivateKey(armored: string): Promise<UnlockedKey> {
  try {
    const key = await openpgp.readPrivateKey({ armoredKey: armored });
    if (!key.isDecrypted()) throw new CryptoInputError('the private key is passphrase-protected');
    return new UnlockedKey(key);
  } catch (error) {
    if (error instanceof CryptoInputError) throw error;
    throw new CryptoInputError('not an OpenPGP private key');
  }
}

export interface PublicKeyInfo {
  fingerprint: string;
  /** Key ids (16 hex digits) a message to this key names in its PKESK packet. */
  encryptionKeyIds: string[];
}

const ENCRYPTION_ALGORITHMS = new Set(['ecdh', 'x25519', 'x448', 'rsaEncrypt', 'rsaEncryptSign', 'elgamal']);

/**
 * What the server needs to know of a public key; refuses anything else.
 *
 * `verifySignatures: false` skips the self-signature checks (three quarters
 * of the cost) and instead requires exactly one encryption subkey, so the key
 * id is still the one openpgp.js encrypts to. Intake uses it for the
 * reporter's key: it comes from the same browser as the report, and a broken
 * one could only stop that reporter's own replies — the team's browser
 * verifies it before encrypting a reply. Keys of investigators and recovery
 * keys are always verified.
 */
export async function describePublicKey(armored: string, opts: { verifySignatures?: boolean } = {}): Promise<PublicKeyInfo> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch {
    throw new CryptoInputError('not an OpenPGP public key');
  }
  if (key.isPrivate()) throw new CryptoInputError('a private key was sent where a public key belongs');
  if (key.keyPacket.version !== 4) throw new CryptoInputError('only version 4 keys are accepted');
  if (opts.verifySignatures === false) {
    const encryption = key.subkeys.filter((subkey) => ENCRYPTION_ALGORITHMS.has(subkey.getAlgorithmInfo().algorithm));
    if (encryption.length !== 1 || ENCRYPTION_ALGORITHMS.has(key.getAlgorithmInfo().algorithm)) {
      throw new CryptoInputError('the public key must have exactly one encryption subkey');
    }
    return { fingerprint: key.getFingerprint(), encryptionKeyIds: [encryption[0]!.getKeyID().toHex()] };
  }
  try {
    const encryptionKey = await key.getEncryptionKey(undefined, null, undefined, FULL_CONFIG);
    return { fingerprint: key.getFingerprint(), encryptionKeyIds: [encryptionKey.getKeyID().toHex()] };
  } catch {
    throw new CryptoInputError('the public key has no usable encryption key');
  }
}
