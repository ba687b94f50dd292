/**
 * Proof of work against floods of fake reports: find a nonce such that
 * SHA-256(challenge ‖ ":" ‖ nonce) starts with `difficulty` zero bits.
 * About 2^difficulty hashes to solve, one to verify. The server issues and
 * authenticates challenges; this module only solves and checks.
 */
import { createSHA256 } from 'hash-wasm';
import { utf8 } from './encoding.ts';

export const MAX_DIFFICULTY = 32;

// One WebAssembly hasher for the process or page: creating one costs more than
// the hash a verification needs. Each use runs init → digest with no await in
// between, so sharing it between concurrent calls is safe.
let sharedHasher: ReturnType<typeof createSHA256> | undefined;
const hasher = () => (sharedHasher ??= createSHA256());

function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export async function verifyPow(opts: { challenge: string; nonce: string; difficulty: number }): Promise<boolean> {
  if (!/^\d{1,16}$/.test(opts.nonce)) return false;
  const digest = (await hasher()).init().update(utf8(`${opts.challenge}:${opts.nonce}`)).digest('binary');
  return leadingZeroBits(digest) >= opts.difficulty;
}

/** Solves in slices, yielding to the page between them so it stays responsive. */
export async function solvePow(opts: {
  challenge: string;
  difficulty: number;
  onProgress?: (tries: number) => void;
}): Promise<string> {
  if (!(opts.difficulty >= 0 && opts.difficulty <= MAX_DIFFICULTY)) throw new RangeError('difficulty out of range');
  const sha = await hasher();
  const prefix = utf8(`${opts.challenge}:`);
  const SLICE = 20_000;
  for (let nonce = 0; ; ) {
    const end = nonce + SLICE;
    for (; nonce < end; nonce++) {
      const digest = sha.init().update(prefix).update(String(nonce)).digest('binary');
      if (leadingZeroBits(digest) >= opts.difficulty) return String(nonce);
    }
    opts.onProgress?.(nonce);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
