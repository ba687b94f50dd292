/**
 * The numbers of the statistics view (#/stats), computed in the browser from
 * the workflow data (GET /api/cases) and what this browser decrypted
 * (category from the report, satisfaction answers from the thread). Pure
 * functions over day strings (YYYY-MM-DD, UTC): no clock, no DOM.
 */
import type { CaseSummary } from '../../../common/api.ts';
import { isCategoryKey } from '../../categories.ts';

/** What the browser learned by decrypting one case. */
export interface Decrypted {
  category: string | null;
  /** Satisfaction levels (1–5) the reporter gave on this case. */
  satisfaction: number[];
}

export type Counts = ReadonlyArray<{ key: string; count: number }>;

export interface DeadlineStats {
  /** Cases where the step was done (acknowledged / closed). */
  done: number;
  /** Median days from receipt to the step, over those done; null when none. */
  medianDays: number | null;
  /** Done in time, plus not done and already past the deadline: the cases whose outcome is known. */
  met: number;
  due: number;
  /** met / due, null when no deadline has fallen due yet. */
  shareMet: number | null;
}

export interface Stats {
  year: number;
  total: number;
  perMonth: Counts;
  perCategory: Counts;
  perChannel: Counts;
  perStage: Counts;
  acknowledge: DeadlineStats;
  feedback: DeadlineStats;
  /** Counts for levels 1..5, in that order. */
  satisfaction: Counts;
}

const DAY_MS = 86_400_000;

function dayMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
}

/** Whole days from one day string to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY_MS);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The twelve month keys (YYYY-MM) of a year. */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/** Years that have cases, newest first (the current one always included). */
export function yearsOf(cases: readonly Pick<CaseSummary, 'receivedDay'>[], today: string): number[] {
  const years = new Set([Number(today.slice(0, 4)), ...cases.map((c) => Number(c.receivedDay.slice(0, 4)))]);
  return [...years].sort((a, b) => b - a);
}

export function perMonth(days: readonly string[], year: number): Counts {
  const counts = new Map(monthsOf(year).map((m) => [m, 0]));
  for (const day of days) {
    const month = day.slice(0, 7);
    if (counts.has(month)) counts.set(month, counts.get(month)! + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count }));
}

/** Counts by key, largest first, then by key; `order` (when given) fixes the order and includes zeros. */
export function countBy(keys: readonly string[], order?: readonly string[]): Counts {
  const counts = new Map<string, number>((order ?? []).map((k) => [k, 0]));
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const rows = [...counts].map(([key, count]) => ({ key, count }));
  return order ? rows : rows.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/**
 * One deadline over cases: `doneDay` null means not done yet; such a case
 * counts as missed once `today` is past its deadline, and is left out before.
 */
export function deadlineStats(items: readonly { receivedDay: string; byDay: string; doneDay: string | null }[], today: string): DeadlineStats {
  const durations: number[] = [];
  let met = 0;
  let due = 0;
  for (const item of items) {
    if (item.doneDay) {
      durations.push(daysBetween(item.receivedDay, item.doneDay));
      due += 1;
      if (item.doneDay <= item.byDay) met += 1;
    } else if (today > item.byDay) {
      due += 1;
    }
  }
  return { done: durations.length, medianDays: median(durations), met, due, shareMet: due ? met / due : null };
}

export function computeStats(
  cases: readonly CaseSummary[],
  decrypted: ReadonlyMap<string, Decrypted>,
  year: number,
  today: string,
  stageOrder: readonly string[],
): Stats {
  const ofYear = cases.filter((c) => c.receivedDay.startsWith(`${year}-`));
  // A key outside the catalog (a forged or garbled report) would otherwise get a bar of its own under the label "unknown".
  const categories = ofYear.map((c) => {
    const category = decrypted.get(c.id)?.category;
    return category && isCategoryKey(category) ? category : 'unknown';
  });
  const levels = ofYear.flatMap((c) => decrypted.get(c.id)?.satisfaction ?? []).map(String);
  return {
    year,
    total: ofYear.length,
    perMonth: perMonth(ofYear.map((c) => c.receivedDay), year),
    perCategory: countBy(categories),
    perChannel: countBy(ofYear.map((c) => c.channel.name)),
    perStage: countBy(ofYear.map((c) => c.stage), stageOrder),
    acknowledge: deadlineStats(ofYear.map((c) => ({ receivedDay: c.receivedDay, byDay: c.acknowledgeByDay, doneDay: c.acknowledgedDay })), today),
    feedback: deadlineStats(ofYear.map((c) => ({ receivedDay: c.receivedDay, byDay: c.feedbackByDay, doneDay: c.closedDay })), today),
    satisfaction: countBy(levels, ['1', '2', '3', '4', '5']),
  };
}
