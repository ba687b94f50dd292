import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayOf } from './clock.ts';

describe('days', () => {
  it('are UTC days', () => {
    expect(dayOf(Date.UTC(2025, 2, 14, 23, 59, 59))).toBe('2025-03-14');
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
