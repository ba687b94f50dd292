/**
 * The pause between two steps of the server's purge (./purge.ts): the thread
 * is the server's for as long as the step just held it, but only while the
 * server has something to do with it. The pause is taken in short slices;
 * after each, the event loop's own account (`eventLoopUtilization`) says how
 * long other work ran in it. A slice with next to none ends the pause: no
 * report, look-up or sign-in was waiting. A busy server still gets the whole
 * pause, as before; an idle one (most nights, when the daily purge runs) no
 * longer waits out a pause nobody uses, which made the purge twice as long as
 * its work (docs/performance.md, "Seventeenth run").
 */
import { performance } from 'node:perf_hooks';

/** One slice of a pause: long enough for a turn of the loop that reads what arrived and answers it. */
export const SLICE_MS = 2;
/** Other work under this in a slice counts as none (the slice's own timer and bookkeeping). */
export const IDLE_MS = 0.25;

export interface EventLoopWatch {
  now(): number;
  /** Waits `ms`, and says how many milliseconds of that the loop spent running callbacks. */
  slice(ms: number): Promise<number>;
}

export const eventLoop: EventLoopWatch = {
  now: () => performance.now(),
  async slice(ms) {
    const before = performance.eventLoopUtilization();
    await new Promise<void>((resolve) => setTimeout(resolve, ms));
    return performance.eventLoopUtilization(before).active;
  },
};

/**
 * Waits at least `atLeast` ms (a step that asked for it: a checkpoint tried again), then up to `upTo` ms
 * in all, ending early after a slice in which the server had nothing to do. Always at least one slice.
 */
export async function leaveToServer(upTo: number, atLeast = 0, loop: EventLoopWatch = eventLoop): Promise<void> {
  const start = loop.now();
  if (atLeast > 0) await loop.slice(atLeast);
  for (;;) {
    const busy = await loop.slice(SLICE_MS);
    if (busy < IDLE_MS || loop.now() - start >= upTo) return;
  }
}
