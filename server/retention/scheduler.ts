/**
 * Runs the purge once a day: it looks every hour (and once shortly after
 * start) and purges when the clock's UTC day is not the day it last purged.
 * A restart purges again on its first look, which is harmless (a purge of
 * nothing due deletes nothing). The clock decides the day; the timer only
 * says when to look. A failing purge is reported through `onError` and
 * tried again at the next look.
 *
 * Each look also deletes the files' bodies still queued (db/uploads.repo.ts
 * drainDeletions): those of cases deleted while a backup held them back are
 * gone within the hour after it ends.
 */
import { dayOf } from '../clock.ts';
import { purgeExpiredYielding, type PurgeDeps, type PurgeReport } from './purge.ts';

export const PURGE_CHECK_MS = 60 * 60 * 1000;

export interface PurgeScheduler {
  /**
   * Looks now: purges if today has not been purged yet (in batches, giving the
   * event loop back between them). Resolves to the report, or undefined if
   * nothing ran (already purged today, a purge still running, or it failed).
   */
  check(): Promise<PurgeReport | undefined>;
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
  let running = false;
  const check = async (): Promise<PurgeReport | undefined> => {
    const today = dayOf(deps.clock.now());
    if (running) return undefined;
    if (today === lastDay) {
      try {
        deps.repos.uploads.drainDeletions(deps.clock.now());
      } catch (error) {
        options.onError?.(error);
      }
      return undefined;
    }
    running = true;
    try {
      const report = await purgeExpiredYielding(deps);
      lastDay = today;
      options.onPurged?.(report);
      return report;
    } catch (error) {
      options.onError?.(error);
      return undefined;
    } finally {
      running = false;
    }
  };
  const look = () => void check();
  const timer = setInterval(look, options.everyMs ?? PURGE_CHECK_MS);
  timer.unref();
  const first = setTimeout(look, options.firstAfterMs ?? 5_000);
  first.unref();
  return {
    check,
    stop: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
