/**
 * The purge's chores besides deleting cases (./purge.ts), each in steps of
 * bounded work: the day's reporter events sealed into the audit chain, the
 * stale upload tickets deleted, the log checkpointed. Each generator yields
 * between two steps once a step has spent its budget (never without one: the
 * operator's purge runs in one go) and returns what it did.
 */
import type { Checkpoint, Repositories } from '../../db/index.ts';

/** How long a step may hold the thread, by `now` (the server's purge). */
export interface Budget {
  ms: number;
  now: () => number;
}

/** A step's own yields: a number asks for a pause of at least that many milliseconds. */
export type Steps<T> = Generator<number | undefined, T>;

/**
 * Stale upload tickets deleted per statement, the oldest first. A spent ticket (a row) cost ≈ 3.6 µs
 * (50,000 in 180 ms, warm, 50,000-case database); an unspent one takes its staged files with it, at
 * most 57 MiB of pages to zero: that ticket alone is its step's work.
 */
export const STALE_CHUNK = 100;

/**
 * Pending reporter events queued, then sealed, per statement (db/audit-seal-queue.ts). Measured on a
 * 50,000-case database, 20,000 events: in one go 502 ms, one step; in chunks of 500 ≈ 20–25 ms a chunk
 * (each one commit), ≈ 40 µs an event in all (chunks of 200: 55–65 µs, the commits weigh more).
 */
export const SEAL_CHUNK = 500;

/**
 * How often, and how far apart, the server's purge tries the final checkpoint again while a reader in
 * another process (a backup) keeps it from completing: 5 s in all, as long as SQLite's busy timeout
 * waited before, but with the thread given back between tries (the wait held it, 5,052 ms measured).
 */
export const CHECKPOINT_TRIES = 50;
export const CHECKPOINT_RETRY_MS = 100;

/** Whether the step begun now has spent its budget, or `share` of it (never, without a budget). */
export const stepTimer = (budget: Budget | undefined) => {
  const began = budget?.now() ?? 0;
  return (share = 1) => budget !== undefined && budget.now() - began >= budget.ms * share;
};

/** Seals every pending reporter event of a day before `today` (db/audit-seal-queue.ts); returns how many. */
export function* sealInSteps(repos: Pick<Repositories, 'audit'>, today: string, budget: Budget | undefined): Steps<number> {
  let over = stepTimer(budget);
  for (let after: string | undefined = ''; after !== undefined;) {
    after = repos.audit.queuePending(today, after, SEAL_CHUNK);
    if (after !== undefined && over()) {
      yield;
      over = stepTimer(budget);
    }
  }
  // The cases' implied "received" events (migration 024), in the same queue and order.
  for (let after = repos.audit.queueImplied(today, undefined, SEAL_CHUNK); after !== undefined;) {
    if (over()) {
      yield;
      over = stepTimer(budget);
    }
    after = repos.audit.queueImplied(today, after, SEAL_CHUNK);
  }
  let sealedEvents = 0;
  for (;;) {
    const { looked, sealed } = repos.audit.sealQueued(SEAL_CHUNK);
    sealedEvents += sealed;
    if (looked < SEAL_CHUNK) {
      repos.audit.markImpliedSealed(today);
      return sealedEvents;
    }
    if (over()) {
      yield;
      over = stepTimer(budget);
    }
  }
}

/** Deletes the upload tickets whose purge time is before `now`, with their staged files; returns how many. */
export function* staleTicketsInSteps(repos: Pick<Repositories, 'uploads'>, now: number, budget: Budget | undefined): Steps<number> {
  let deleted = 0;
  for (let over = stepTimer(budget); ;) {
    const n = repos.uploads.purgeStale(now, STALE_CHUNK);
    // Their bodies, after the commit that deleted their rows; and whatever a backup's mark held back.
    repos.uploads.drainDeletions(now);
    deleted += n;
    if (n < STALE_CHUNK) return deleted;
    if (over()) {
      yield;
      over = stepTimer(budget);
    }
  }
}

/**
 * Checkpoints the log into the database and truncates it. Without a budget (the operator's purge, its own
 * process) SQLite may wait for readers; the server's purge never does, and tries again between steps.
 */
export function* checkpointInSteps(repos: Pick<Repositories, 'retention'>, budget: Budget | undefined): Steps<Checkpoint> {
  let checkpoint = repos.retention.checkpointTruncate({ wait: budget === undefined });
  for (let tries = 1; budget && !checkpoint.complete && tries < CHECKPOINT_TRIES; tries += 1) {
    yield CHECKPOINT_RETRY_MS;
    checkpoint = repos.retention.checkpointTruncate({ wait: false });
  }
  return checkpoint;
}
