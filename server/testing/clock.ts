/** A clock that tests move by hand. */
import type { Clock } from '../clock.ts';

/** Friday 14 March 2025, 09:30 UTC: an ordinary working day. */
export const TEST_START = '2025-03-14T09:30:00.000Z';

export interface TestClock extends Clock {
  /** Moves forward (or back, with negative numbers). */
  advance(by: { days?: number; hours?: number; minutes?: number; seconds?: number; ms?: number }): void;
  set(instant: string | number): void;
}

export function createTestClock(start: string | number = TEST_START): TestClock {
  let now = new Date(start).getTime();
  return {
    now: () => now,
    advance: ({ days = 0, hours = 0, minutes = 0, seconds = 0, ms = 0 }) => {
      now += (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + ms;
    },
    set: (instant) => {
      now = new Date(instant).getTime();
    },
  };
}
