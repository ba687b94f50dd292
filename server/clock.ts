/**
 * Time, passed in. Tests move a clock by days and months instead of waiting.
 *
 * Reporter activity is only ever recorded as a UTC day ('YYYY-MM-DD'); use
 * `dayOf(clock.now())` for it, never the milliseconds.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

const DAY_MS = 86_400_000;

/** The UTC day of an instant. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function parseDay(day: string): Date {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || dayOf(date.getTime()) !== day) throw new RangeError(`not a day: ${day}`);
  return date;
}

export function addDays(day: string, days: number): string {
  return dayOf(parseDay(day).getTime() + days * DAY_MS);
}

/** Calendar months; the 31st plus one month is the last day of a shorter month. */
export function addMonths(day: string, months: number): string {
  const date = parseDay(day);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return dayOf(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)));
}
