import { describe, expect, it } from 'vitest';
import { dayOrderedRowid, idBytes, randomId, randomRowid } from './row-order.ts';

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

describe('day-ordered row ids', () => {
  const day = (rowid: bigint) => Number(rowid >> 47n);

  it('puts the day since 1970-01-01 above 47 random bits', () => {
    expect(day(dayOrderedRowid('1970-01-01'))).toBe(0);
    expect(day(dayOrderedRowid('2026-12-07'))).toBe(Date.UTC(2026, 11, 7) / 86_400_000);
    expect(day(dayOrderedRowid('2149-06-06'))).toBe(65_535);
    // The largest stays a signed 64-bit integer, as SQLite's rowids are.
    for (let i = 0; i < 200; i++) expect(dayOrderedRowid('2149-06-06')).toBeLessThan(2n ** 63n);
  });

  it('orders rows by their day, and at random within one day', () => {
    const days = ['2024-02-28', '2024-02-29', '2024-03-01', '2025-01-01'];
    const drawn = Array.from({ length: 400 }, (_, i) => ({ day: days[i % days.length]!, rowid: dayOrderedRowid(days[i % days.length]!) }));
    const sorted = [...drawn].sort((a, b) => (a.rowid < b.rowid ? -1 : a.rowid > b.rowid ? 1 : 0));
    expect(sorted.map((d) => d.day)).toEqual([...drawn.map((d) => d.day)].sort());
    expect(new Set(drawn.map((d) => d.rowid)).size).toBe(drawn.length);
    // Within a day, the order drawn is not the order stored, and the random part spreads over its whole range.
    const oneDay = drawn.filter((d) => d.day === '2024-02-29').map((d) => d.rowid & ((1n << 47n) - 1n));
    expect(oneDay).not.toEqual([...oneDay].sort((a, b) => (a < b ? -1 : 1)));
    expect(oneDay.some((r) => r < 2n ** 45n)).toBe(true);
    expect(oneDay.some((r) => r >= 2n ** 46n + 2n ** 45n)).toBe(true);
    // Every random row id (below 2^40 + 2^52) sorts before those of any day after January 1970.
    expect(BigInt(2 ** 40 + 2 ** 52)).toBeLessThan(dayOrderedRowid('1970-02-03') & ~((1n << 47n) - 1n));
  });

  it('refuses what is not a day it can hold', () => {
    for (const bad of ['', '2026-02-30', '2026-13-01', '1969-12-31', '2149-06-07', '2026-1-01', '2026-12-07T00:00:00Z', 'tomorrow']) {
      expect(() => dayOrderedRowid(bad), bad).toThrow(RangeError);
    }
  });
});
