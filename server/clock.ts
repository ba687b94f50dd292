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

/** The last day dayOf made, and the instants it covers: a report asks for the same day several times. */
let known = { from: 0, to: 0, day: '' };

/** The UTC day of an instant. */
export function dayOf(ms: number): string {
  if (ms >= known.from && ms < known.to) return known.day;
  const day = new Date(ms).toISOString().slice(0, 10); // RangeError for an instant that is no date
  const from = Math.floor(ms / DAY_MS) * DAY_MS;
  known = { from, to: from + DAY_MS, day };
  return day;
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
