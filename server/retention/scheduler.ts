/**
 * Runs the purge once a day: it looks every hour (and once shortly after
 * start) and purges when the clock's UTC day is not the day it last purged.
 * A restart purges again on its first look, which is harmless (a purge of
 * nothing due deletes nothing). The clock decides the day; the timer only
 * says when to look. A failing purge is reported through `onError` and
 * tried again at the next look.
 */
import { dayOf } from '../clock.ts';
import { purgeExpired, type PurgeDeps, type PurgeReport } from './purge.ts';

export const PURGE_CHECK_MS = 60 * 60 * 1000;

export interface PurgeScheduler {
  /** Looks now: purges if today has not been purged yet. Returns the report, or undefined if nothing ran. */
  check(): PurgeReport | undefined;
  stop(): void;
}

export interface PurgeSchedulerOptions {
  everyMs?: number;
  firstAfterMs?: number;
  onPurged?: (report: PurgeReport) => void;
  onError?: (error: unknown) => void;
}

export function startPurgeScheduler(deps: PurgeDeps, options: PurgeSchedulerOptions = {}): PurgeScheduler {
  let lastDay: string | undefined;
  const check = (): PurgeReport | undefined => {
    const today = dayOf(deps.clock.now());
    if (today === lastDay) return undefined;
    try {
      const report = purgeExpired(deps);
      lastDay = today;
      options.onPurged?.(report);
      return report;
    } catch (error) {
      options.onError?.(error);
      return undefined;
    }
  };
  const timer = setInterval(check, options.everyMs ?? PURGE_CHECK_MS);
  timer.unref();
  const first = setTimeout(check, options.firstAfterMs ?? 5_000);
  first.unref();
  return {
    check,
    stop: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
