import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayOf } from './clock.ts';

describe('days', () => {
  it('are UTC days', () => {
    expect(dayOf(Date.UTC(2025, 2, 14, 23, 59, 59))).toBe('2025-03-14');
  });
  it('stay right when asked for the same day again, around its edges and before 1970', () => {
    // dayOf remembers the last day it made; every answer must still be the one toISOString gives.
    const edges = [Date.UTC(2025, 2, 14), Date.UTC(2025, 2, 15) - 1, Date.UTC(2025, 2, 15), Date.UTC(1969, 11, 31, 12), -1, 0, 1];
    for (const ms of [...edges, ...edges.reverse(), ...edges.map((e) => e + 86_399_999)]) {
      expect(dayOf(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
    }
    expect(() => dayOf(Number.NaN)).toThrow(RangeError);
    expect(dayOf(0)).toBe('1970-01-01');
  });
  it('add across months and years', () => {
    expect(addDays('2025-12-28', 7)).toBe('2026-01-04');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2023-11-29', 3)).toBe('2024-02-29');
  });
  it('refuse what is not a day', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });
});
