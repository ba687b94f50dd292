/**
 * Randomness and the keyed hashes made with the server secret (32 random
 * bytes in `<dataDir>/server-secret`, never in the database). Because the
 * hashes are keyed, a stolen database alone cannot be used to test guessed
 * case tokens or usernames offline.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SERVER_SECRET_BYTES = 32;

export function randomBase64Url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Opaque ids for teams, cases, messages (16 random bytes, 22 characters; from the id pool of db/row-order.ts). */
export { randomId } from '../../db/row-order.ts';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings of the same alphabet. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ServerKeys {
  /** HMAC-SHA256(secret, label + ':' + value) as hex. Labels separate the uses. */
  hmacHex(label: KeyedHashLabel, value: string): string;
  hmacBase64Url(label: KeyedHashLabel, value: string): string;
  /** The first 16 bytes of the same hash, as an id of randomId's form (22 characters). */
  hmacId(label: KeyedHashLabel, value: string): string;
}

export type KeyedHashLabel = 'lookup' | 'verifier' | 'fake-salt' | 'pow' | 'upload-ticket' | 'totp-seal' | 'recovery-code' | 'recovery-challenge' | 'case-id';

export function createServerKeys(secret: Uint8Array): ServerKeys {
  if (secret.byteLength !== SERVER_SECRET_BYTES) throw new Error('the server secret must be 32 bytes');
  const key = Buffer.from(secret); // private copy
  const mac = (label: KeyedHashLabel, value: string) =>
    createHmac('sha256', key).update(`${label}:${value}`, 'utf8').digest();
  return {
    hmacHex: (label, value) => mac(label, value).toString('hex'),
    hmacBase64Url: (label, value) => mac(label, value).toString('base64url'),
    hmacId: (label, value) => mac(label, value).subarray(0, 16).toString('base64url'),
  };
}
