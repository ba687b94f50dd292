import { describe, expect, it } from 'vitest';
import { solvePow, verifyPow } from './pow.ts';

describe('proof of work', () => {
  it('verifies the fixed vector of the protocol document', async () => {
    expect(await verifyPow({ challenge: 'ombud-test-vector', nonce: '8675', difficulty: 12 })).toBe(true);
    expect(await verifyPow({ challenge: 'ombud-test-vector', nonce: '8676', difficulty: 12 })).toBe(false);
  });

  it('solves what it verifies, bound to the challenge', async () => {
    const nonce = await solvePow({ challenge: 'abc', difficulty: 10 });
    expect(await verifyPow({ challenge: 'abc', nonce, difficulty: 10 })).toBe(true);
    expect(await verifyPow({ challenge: 'abd', nonce, difficulty: 10 })).toBe(false);
  });

  it('refuses nonces that are not short decimal numbers', async () => {
    for (const nonce of ['', '-1', '1e3', ' 1', '12345678901234567']) {
      expect(await verifyPow({ challenge: 'abc', nonce, difficulty: 0 })).toBe(false);
    }
  });
});
