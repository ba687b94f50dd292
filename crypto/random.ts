/**
 * All randomness in Ombud comes from here: the platform CSPRNG
 * (crypto.getRandomValues, in browsers and in Node ≥ 20), never Math.random.
 */
const MAX_CHUNK = 65_536; // getRandomValues refuses more per call

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_CHUNK)));
  }
  return out;
}

/** A uniformly random decimal digit, by rejection sampling (no modulo bias). */
export function randomDigit(): number {
  const buffer = new Uint8Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(buffer);
    if (buffer[0]! < 250) return buffer[0]! % 10;
  }
}
