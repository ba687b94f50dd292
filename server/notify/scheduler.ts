/**
 * Sends notices: every quarter of an hour (and once shortly after start) it
 * flushes the events noted since the last time and runs the daily digest,
 * which goes out at most once per investigator and day — the day handled is
 * kept in the database, so a restart does not send it again. The clock
 * decides the day; the timer only says when to look.
 */
import type { Notifier } from './notifier.ts';

export const NOTIFY_CHECK_MS = 15 * 60 * 1000;

export function startNotifyScheduler(notifier: Notifier, everyMs: number = NOTIFY_CHECK_MS): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => notifier.flush())
      .then(() => notifier.runDigest())
      .catch(() => undefined);
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  const first = setTimeout(tick, 1_000);
  first.unref();
  return {
    /** Stops the timer and sends what is still pending. */
    stop: async () => {
      clearInterval(timer);
      clearTimeout(first);
      tick();
      await running;
    },
  };
}
