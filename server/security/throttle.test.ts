import { describe, expect, it } from 'vitest';
import { createTestClock } from '../testing/clock.ts';
import { createThrottle, nameKey } from './throttle.ts';

const options = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000, maxEntries: 100 };

describe('throttle', () => {
  it('lets the free failures pass, then blocks for doubling times up to a cap', () => {
    const clock = createTestClock();
    const throttle = createThrottle(clock, options);
    for (let i = 0; i < 3; i += 1) throttle.fail('k');
    expect(throttle.retryAfterSeconds('k')).toBe(0);
    const waits = [];
    for (let i = 0; i < 8; i += 1) {
      throttle.fail('k');
      waits.push(throttle.retryAfterSeconds('k'));
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    clock.advance({ seconds: 61 });
    expect(throttle.retryAfterSeconds('k')).toBe(0);
  });

  it('keeps keys apart, and forgets a quiet key', () => {
    const clock = createTestClock();
    const throttle = createThrottle(clock, options);
    for (let i = 0; i < 5; i += 1) throttle.fail('a');
    expect(throttle.retryAfterSeconds('b')).toBe(0);
    clock.advance({ hours: 2 });
    throttle.fail('a');
    expect(throttle.retryAfterSeconds('a')).toBe(0);
  });

  it('bounds its memory', () => {
    const throttle = createThrottle(createTestClock(), { ...options, maxEntries: 2, freeFailures: 0 });
    throttle.fail('a');
    throttle.fail('b');
    throttle.fail('c');
    expect(throttle.retryAfterSeconds('a')).toBe(0);
    expect(throttle.retryAfterSeconds('c')).toBe(1);
  });

  it('keys names by a keyed hash, not the name itself', () => {
    expect(nameKey('mei')).not.toContain('mei');
    expect(nameKey('mei')).toBe(nameKey('mei'));
  });
});
