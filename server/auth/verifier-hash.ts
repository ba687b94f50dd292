/**
 * The server's side of a password: the browser sends a login verifier
 * (derived with Argon2id, see PASSWORD_KDF_PARAMS); the server stores only
 * scrypt(verifier, random salt) and compares in constant time. A stolen
 * database thus costs an attacker Argon2id + scrypt per password guess,
 * and never yields the key that unwraps the private key.
 *
 * scrypt N=2^15, r=8, p=1: 32 MiB and ~80 ms per check here, off the event
 * loop (libuv thread pool).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_BYTES = 32;
export const VERIFIER_PARAMS = `scrypt:${PARAMS.N}:${PARAMS.r}:${PARAMS.p}`;

export interface VerifierHash {
  verifierHash: string;
  verifierSalt: string;
  verifierParams: string;
}

function parseParams(text: string): { N: number; r: number; p: number; maxmem: number } {
  const match = /^scrypt:(\d+):(\d+):(\d+)$/.exec(text);
  if (!match) throw new Error('unknown verifier hash parameters');
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return { N, r, p, maxmem: Math.max(PARAMS.maxmem, 256 * N * r) };
}

function run(verifier: string, salt: Buffer, params: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(verifier, salt, KEY_BYTES, parseParams(params), (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashVerifier(verifier: string): Promise<VerifierHash> {
  const salt = randomBytes(16);
  const key = await run(verifier, salt, VERIFIER_PARAMS);
  return { verifierHash: key.toString('base64url'), verifierSalt: salt.toString('base64url'), verifierParams: VERIFIER_PARAMS };
}

/** A stand-in, so that an unknown username costs the same scrypt as a known one. */
const DUMMY: VerifierHash = {
  verifierHash: randomBytes(KEY_BYTES).toString('base64url'),
  verifierSalt: randomBytes(16).toString('base64url'),
  verifierParams: VERIFIER_PARAMS,
};

/** Constant-time check; pass `undefined` for an unknown user (always false, same cost). */
export async function checkVerifier(verifier: string, stored: VerifierHash | undefined): Promise<boolean> {
  const target = stored ?? DUMMY;
  const key = await run(verifier, Buffer.from(target.verifierSalt, 'base64url'), target.verifierParams);
  const expected = Buffer.from(target.verifierHash, 'base64url');
  return key.length === expected.length && timingSafeEqual(key, expected) && stored !== undefined;
}
