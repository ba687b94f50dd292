/**
 * Padding to size buckets, before encryption, so that the size of a stored
 * ciphertext says little about what is inside. Buckets follow Padmé (Nikitin
 * et al., "Reducing Metadata Leakage from Encrypted Files and Communication
 * with PURBs", PETS 2019): at most ~12 % overhead, O(log log n) bits leaked.
 *
 * Layout of the padded plaintext: 4-byte big-endian length n ‖ n bytes ‖
 * random filler (crypto.getRandomValues) up to the bucket size.
 */
import { CryptoInputError } from './errors.ts';
import { randomBytes } from './random.ts';

export const MIN_BUCKET = 1024;
const HEADER = 4;

/** The Padmé size of `length`, never below MIN_BUCKET. */
export function bucketSize(length: number): number {
  if (length <= MIN_BUCKET) return MIN_BUCKET;
  const e = Math.floor(Math.log2(length));
  const s = Math.floor(Math.log2(e)) + 1;
  const step = 2 ** (e - s);
  return Math.ceil(length / step) * step;
}

export function pad(data: Uint8Array): Uint8Array {
  const size = bucketSize(data.length + HEADER);
  const out = randomBytes(size);
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(data, HEADER);
  return out;
}

export function unpad(padded: Uint8Array): Uint8Array {
  if (padded.length < HEADER) throw new CryptoInputError('padded data is too short');
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  if (length > padded.length - HEADER) throw new CryptoInputError('padded data is damaged');
  return padded.subarray(HEADER, HEADER + length);
}
