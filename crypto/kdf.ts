/**
 * Key derivation. A memory-hard Argon2id turns a low-entropy secret (a
 * password) or a secret the server must not be able to test cheaply (a case
 * token) into a 32-byte master; HKDF-SHA256 splits the master into
 * independent values, so the value the server checks can never unwrap a key.
 */
import { argon2id } from 'hash-wasm';
import { fromBase64Url, toBase64Url, utf8, wipe } from './encoding.ts';
import { KdfParamsError } from './errors.ts';
import { randomBytes } from './random.ts';

export interface KdfParams {
  algorithm: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** Token KDF: fixed for every deployment, since a worker has only the token. */
export const TOKEN_KDF: KdfParams = { algorithm: 'argon2id', memoryKiB: 32 * 1024, iterations: 3, parallelism: 1 };
export const TOKEN_SALT = 'ombud/case-token/v1';
/** Default password KDF for investigators; stored per account so it can grow. */
export const PASSWORD_KDF: KdfParams = { algorithm: 'argon2id', memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 };

/**
 * The bounds a page holds the server to (docs/protocol.md, "v2: floors and
 * limits"). The floor is the default: the server stores parameters per
 * account so that they can be raised, never lowered below what every account
 * was made with; told `{ memoryKiB: 8, iterations: 1 }` a page used to comply,
 * and the password fell to hundreds of guesses a second.
 * The ceiling keeps a hostile server from making a page allocate gigabytes or
 * spin for minutes: 256 MiB (four times the default) and 8 passes, about
 * ten times the default's cost, still under ten seconds on a 2020 laptop.
 */
export const KDF_FLOOR: Readonly<KdfParams> = Object.freeze({ ...PASSWORD_KDF });
export const KDF_CEILING: Readonly<KdfParams> = Object.freeze({ algorithm: 'argon2id', memoryKiB: 256 * 1024, iterations: 8, parallelism: 4 });

const within = (value: unknown, low: number, high: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high;

/** Throws KdfParamsError unless `kdf` is Argon2id between KDF_FLOOR and KDF_CEILING, field by field. */
export function checkPasswordKdf(kdf: KdfParams): void {
  const ok =
    typeof kdf === 'object' && kdf !== null &&
    kdf.algorithm === 'argon2id' &&
    within(kdf.memoryKiB, KDF_FLOOR.memoryKiB, KDF_CEILING.memoryKiB) &&
    within(kdf.iterations, KDF_FLOOR.iterations, KDF_CEILING.iterations) &&
    within(kdf.parallelism, KDF_FLOOR.parallelism, KDF_CEILING.parallelism);
  if (!ok) {
    throw new KdfParamsError(
      `key-derivation parameters outside the bounds of this page (Argon2id, ${KDF_FLOOR.memoryKiB}–${KDF_CEILING.memoryKiB} KiB, ` +
        `${KDF_FLOOR.iterations}–${KDF_CEILING.iterations} passes, ${KDF_FLOOR.parallelism}–${KDF_CEILING.parallelism} lanes)`,
    );
  }
}

const INFO = {
  lookup: 'ombud/token/lookup-id/v1',
  tokenVerifier: 'ombud/token/verifier/v1',
  tokenWrap: 'ombud/token/wrap-key/v1',
  /** Protocol v2: authenticates the status binding (./binding.ts); never leaves the browser. */
  tokenBinding: 'ombud/token/status-binding/v2',
  loginVerifier: 'ombud/password/login-verifier/v1',
  passwordWrap: 'ombud/password/wrap-key/v1',
} as const;

async function argon2(secret: Uint8Array, salt: Uint8Array, kdf: KdfParams): Promise<Uint8Array> {
  return argon2id({
    password: secret,
    salt,
    iterations: kdf.iterations,
    parallelism: kdf.parallelism,
    memorySize: kdf.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
}

/** HKDF-SHA256 (RFC 5869) with an empty salt, through WebCrypto. */
export async function hkdf(master: Uint8Array, info: string, length = 32): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey('raw', master as BufferSource, 'HKDF', false, ['deriveBits']);
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(info) as BufferSource },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

export interface TokenSecrets {
  /** Finds the case; the server keeps only a keyed hash of it. */
  lookupId: string;
  /** Proves the token; the server keeps only a keyed hash of it. */
  verifier: string;
  /** Unwraps the reporter's private key; never leaves the browser. */
  wrapKey: Uint8Array;
  /** Authenticates the case's status binding (./binding.ts); never leaves the browser. Wipe it with wrapKey. */
  bindingKey: Uint8Array;
}

export async function deriveTokenSecrets(token: string): Promise<TokenSecrets> {
  if (!/^\d{28}$/.test(token)) throw new TypeError('deriveTokenSecrets takes a parsed 28-digit token');
  const master = await argon2(utf8(token), utf8(TOKEN_SALT), TOKEN_KDF);
  try {
    const [lookupId, verifier, wrapKey, bindingKey] = await Promise.all([
      hkdf(master, INFO.lookup),
      hkdf(master, INFO.tokenVerifier),
      hkdf(master, INFO.tokenWrap),
      hkdf(master, INFO.tokenBinding),
    ]);
    return { lookupId: toBase64Url(lookupId), verifier: toBase64Url(verifier), wrapKey, bindingKey };
  } finally {
    wipe(master);
  }
}

export interface PasswordSecrets {
  /** Sent at login; the server re-hashes it slowly before comparing. */
  verifier: string;
  /** Unwraps the investigator's private key; never leaves the browser. */
  wrapKey: Uint8Array;
}

/** Throws KdfParamsError (before any work) for parameters outside KDF_FLOOR…KDF_CEILING: they come from the server. */
export async function derivePasswordSecrets(password: string, salt: string, kdf: KdfParams): Promise<PasswordSecrets> {
  checkPasswordKdf(kdf);
  const master = await argon2(utf8(password.normalize('NFC')), fromBase64Url(salt), kdf);
  try {
    const [verifier, wrapKey] = await Promise.all([hkdf(master, INFO.loginVerifier), hkdf(master, INFO.passwordWrap)]);
    return { verifier: toBase64Url(verifier), wrapKey };
  } finally {
    wipe(master);
  }
}

/** A fresh 32-byte salt for a new password. */
export function newSalt(): string {
  return toBase64Url(randomBytes(32));
}
