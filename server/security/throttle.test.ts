import { describe, expect, it } from 'vitest';
import { createTestClock } from '../testing/clock.ts';
import { TOKEN_KDF } from '../../crypto/kdf.ts';
import { TOKEN_RANDOM_DIGITS } from '../../crypto/token.ts';
import { createThrottle, createThrottles, nameKey } from './throttle.ts';

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

  it('take counts before the slow check: 30 attempts in flight at once pass at most free + 1', () => {
    const throttle = createThrottle(createTestClock(), options);
    const admitted = Array.from({ length: 30 }, () => throttle.take('k')).filter((wait) => wait === 0).length;
    expect(admitted).toBe(options.freeFailures + 1);
    expect(throttle.take('k')).toBeGreaterThan(0);
  });

  it('refund gives back one attempt and the block it started, not an earlier one', () => {
    const clock = createTestClock();
    const throttle = createThrottle(clock, options);
    for (let i = 0; i < 3; i += 1) expect(throttle.take('k')).toBe(0);
    expect(throttle.take('k')).toBe(0); // the 4th: starts a 1 s block
    expect(throttle.retryAfterSeconds('k')).toBe(1);
    throttle.refund('k'); // it was right after all
    expect(throttle.retryAfterSeconds('k')).toBe(0);
    expect(throttle.take('k')).toBe(0);
    throttle.fail('k'); // a 5th failure: 2 s
    throttle.refund('k');
    expect(throttle.retryAfterSeconds('k')).toBe(1); // back to the 4th failure's block
    throttle.refund('b'); // unknown keys: nothing happens
    expect(throttle.retryAfterSeconds('b')).toBe(0);
  });

  it('keys names by a keyed hash, not the name itself', () => {
    expect(nameKey('mei')).not.toContain('mei');
    expect(nameKey('mei')).toBe(nameKey('mei'));
  });
});

describe('the numbers of threat model row 5', () => {
  it('lets a patient client that waits out every block fail about 96 look-ups a day', () => {
    const clock = createTestClock();
    const { reporterByClient } = createThrottles(clock);
    const end = clock.now() + 86_400_000;
    let failures = 0;
    while (clock.now() < end) {
      const wait = reporterByClient.retryAfterSeconds('guesser');
      if (wait > 0) {
        clock.advance({ seconds: wait });
        continue;
      }
      reporterByClient.fail('guesser');
      failures += 1;
    }
    expect(failures).toBeGreaterThanOrEqual(96);
    expect(failures).toBeLessThanOrEqual(96 + 10 + 10); // 10 free, then 1 s, 2 s … 512 s, then every 15 minutes
  });

  it('keeps a live case out of reach even for a guesser the throttle does not slow', () => {
    // A right guess is answered even while its client is blocked (the owner is never locked out), so the
    // bound is the token: 27 random digits, at 10 000 guesses a second (more than one node answers),
    // against a million live cases.
    const guessesPerYear = 10_000 * 365.25 * 86_400;
    const years = 10 ** TOKEN_RANDOM_DIGITS / 1_000_000 / guessesPerYear;
    expect(TOKEN_RANDOM_DIGITS).toBe(27);
    expect(TOKEN_KDF).toMatchObject({ algorithm: 'argon2id', memoryKiB: 32 * 1024 }); // what each guess costs the guesser
    expect(years).toBeGreaterThan(3e9);
  });
});
