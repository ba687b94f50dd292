import { describe, expect, it } from 'vitest';
import { idBytes, randomId, randomRowid } from './row-order.ts';

describe('ids from the pool', () => {
  it('never hands out the same bytes twice, across many refills of the pool', () => {
    // 40,000 × 16 bytes is about 156 refills of 4 KiB, with hand-outs of other sizes between them.
    const seen = new Set<string>();
    for (let i = 0; i < 40_000; i++) {
      seen.add(randomId());
      if (i % 97 === 0) idBytes(1 + (i % 300));
    }
    expect(seen.size).toBe(40_000);
  });

  it('gives fresh bytes when a request does not fit in what is left of the pool', () => {
    const first = idBytes(4000);
    const second = idBytes(4000); // cannot come from the same 4 KiB
    const third = idBytes(4096);
    expect(first.equals(second)).toBe(false);
    expect(second.equals(third.subarray(0, 4000))).toBe(false);
    // A whole pool of bytes is random, not zeros left by an earlier hand-out.
    expect(third.filter((b) => b === 0).length).toBeLessThan(64);
  });

  it('hands out copies: changing one does not change the next', () => {
    const a = idBytes(16);
    a.fill(0xff);
    const b = idBytes(16);
    expect(b.equals(a)).toBe(false);
  });

  it('refuses sizes it cannot give', () => {
    for (const n of [0, -1, 4097, Number.NaN]) expect(() => idBytes(n)).toThrow(RangeError);
  });

  it('draws row ids in [2^40, 2^40 + 2^52) and ids as 22 base64url characters', () => {
    for (let i = 0; i < 2_000; i++) {
      const rowid = randomRowid();
      expect(Number.isSafeInteger(rowid)).toBe(true);
      expect(rowid).toBeGreaterThanOrEqual(2 ** 40);
      expect(rowid).toBeLessThan(2 ** 40 + 2 ** 52);
      expect(randomId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });
});
