import { describe, expect, it } from 'vitest';
import { IDLE_MS, SLICE_MS, eventLoop, leaveToServer, type EventLoopWatch } from './leave-to-server.ts';

/** A loop whose clock moves only by the slices waited, each with the busy time given in turn (the last repeats). */
function scriptedLoop(busy: number[]): EventLoopWatch & { slices: number[] } {
  let clock = 0;
  const slices: number[] = [];
  return {
    slices,
    now: () => clock,
    async slice(ms) {
      clock += ms;
      slices.push(ms);
      return busy[Math.min(slices.length - 1, busy.length - 1)]!;
    },
  };
}

describe('the pause between two steps of the purge', () => {
  it('ends after one slice when the server has nothing to do', async () => {
    const loop = scriptedLoop([0]);
    await leaveToServer(60, 0, loop);
    expect(loop.slices).toEqual([SLICE_MS]);
  });

  it('lasts as long as the step while the server is busy all along', async () => {
    const loop = scriptedLoop([1.5]);
    await leaveToServer(60, 0, loop);
    expect(loop.slices).toHaveLength(60 / SLICE_MS);
  });

  it('ends with the first slice in which the server had (next to) nothing to do', async () => {
    const loop = scriptedLoop([1.9, 0.6, IDLE_MS, IDLE_MS / 2]);
    await leaveToServer(60, 0, loop);
    expect(loop.slices).toHaveLength(4); // IDLE_MS itself still counts as work
  });

  it('waits all of a pause a step asked for (a checkpoint tried again), idle or not', async () => {
    const loop = scriptedLoop([0]);
    await leaveToServer(100, 100, loop);
    expect(loop.slices).toEqual([100, SLICE_MS]);
  });

  it('on the real event loop: an idle loop ends the pause early, a busy one keeps it', async () => {
    const idleStart = performance.now();
    await leaveToServer(2_000);
    expect(performance.now() - idleStart).toBeLessThan(1_000);

    // Other work on the loop all along: a callback every turn that holds it for a millisecond.
    let working = true;
    const work = () => {
      const until = performance.now() + 1;
      while (performance.now() < until);
      if (working) setImmediate(work);
    };
    setImmediate(work);
    const busyStart = performance.now();
    try {
      await leaveToServer(40, 0, eventLoop);
    } finally {
      working = false;
    }
    expect(performance.now() - busyStart).toBeGreaterThanOrEqual(40);
  });
});
