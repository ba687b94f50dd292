/**
 * In-memory brute-force limiter. Never persisted, never logged: it forgets
 * everything on restart, and it holds no addresses, only HMACs of them under
 * a key drawn at process start and never written anywhere.
 *
 * THIS IS THE ONLY MODULE ALLOWED TO READ `req.ip`. Everything else in the
 * server is blind to who is asking.
 *
 * A key (a client, a username) gets `freeFailures` failures for free; each
 * failure after that blocks it for baseDelayMs · 2^(n − free − 1), up to
 * maxDelayMs. A key that stays quiet for `forgetAfterMs` is forgotten.
 *
 * Under concurrency a limit holds only if an attempt is counted before the
 * slow check it guards is awaited (scrypt, a signature): `take` checks and
 * counts in one synchronous step, and `refund` gives the attempt back when
 * it succeeded. Checking first and counting after the await let 30
 * simultaneous attempts all reach the check (tests in
 * server/auth/throttle-race.test.ts).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { Clock } from '../clock.ts';

const PROCESS_KEY = randomBytes(32);

/** An opaque per-process handle for the client address of `req`. */
export function clientKey(req: Request): string {
  return createHmac('sha256', PROCESS_KEY).update(`client:${req.ip ?? 'unknown'}`).digest('base64url');
}

/** An opaque per-process handle for any other throttled name (a username). */
export function nameKey(name: string): string {
  return createHmac('sha256', PROCESS_KEY).update(`name:${name}`).digest('base64url');
}

export interface ThrottleOptions {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
  /** Bound on memory; the least recently failing keys go first. */
  maxEntries: number;
}

interface Entry {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export interface Throttle {
  /** Seconds until `key` may try again; 0 if it may now. */
  retryAfterSeconds(key: string): number;
  /** Records a failure of `key`. */
  fail(key: string): void;
  /**
   * Checks and counts in one step: answers the seconds to wait (and counts
   * nothing) when `key` is blocked; otherwise counts one failure in advance
   * and answers 0. Call before awaiting the check; `refund` if it succeeds.
   */
  take(key: string): number;
  /** Gives back one attempt counted by `take` (the check succeeded, or it was not a guess). */
  refund(key: string): void;
  reset(key: string): void;
}

export function createThrottle(clock: Clock, options: ThrottleOptions): Throttle {
  const entries = new Map<string, Entry>();

  const current = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && clock.now() - entry.lastFailure > options.forgetAfterMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const evict = () => {
    while (entries.size > options.maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) return;
      entries.delete(oldest.value);
    }
  };

  const delayAfter = (failures: number): number => {
    const over = failures - options.freeFailures;
    return over > 0 ? Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(over - 1, 30)) : 0;
  };

  const retryAfterSeconds = (key: string): number => {
    const entry = current(key);
    if (!entry) return 0;
    return Math.max(0, Math.ceil((entry.blockedUntil - clock.now()) / 1000));
  };

  const fail = (key: string): void => {
    const now = clock.now();
    const entry = current(key) ?? { failures: 0, blockedUntil: 0, lastFailure: now };
    entry.failures += 1;
    entry.lastFailure = now;
    const delay = delayAfter(entry.failures);
    if (delay > 0) entry.blockedUntil = now + delay;
    entries.delete(key); // re-insert: Map order is then least recently failing first
    entries.set(key, entry);
    evict();
  };

  return {
    retryAfterSeconds,
    fail,
    take(key) {
      const wait = retryAfterSeconds(key);
      if (wait > 0) return wait;
      fail(key);
      return 0;
    },
    refund(key) {
      const entry = current(key);
      if (!entry) return;
      entry.failures = Math.max(0, entry.failures - 1);
      // The block this attempt started, if any, goes with it; a longer one from earlier failures stays.
      const delay = delayAfter(entry.failures);
      entry.blockedUntil = delay > 0 ? Math.min(entry.blockedUntil, entry.lastFailure + delay) : 0;
      if (entry.failures === 0) entries.delete(key);
    },
    reset(key) {
      entries.delete(key);
    },
  };
}

const MINUTE = 60_000;

/** The limiters of one app instance. */
export function createThrottles(clock: Clock) {
  const common = { baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE, maxEntries: 100_000 };
  return {
    /** Failed reporter lookups (status page, reporter messages), per client. */
    reporterByClient: createThrottle(clock, { ...common, freeFailures: 10 }),
    /** Failed logins per client. */
    loginByClient: createThrottle(clock, { ...common, freeFailures: 20 }),
    /** Failed logins per username: slows guessing one account from many addresses. */
    loginByUsername: createThrottle(clock, { ...common, freeFailures: 5 }),
    /** Failed team recoveries (a wrong key or signature on /recover), per client. */
    recoveryByClient: createThrottle(clock, { ...common, freeFailures: 5 }),
  };
}

export type Throttles = ReturnType<typeof createThrottles>;
