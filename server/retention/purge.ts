/**
 * The purge: deletes every closed case whose retention has passed and that
 * is not on legal hold (db/retention.repo.ts decides which), in batches of
 * cases, each batch one transaction with every case's `case.purged` audit
 * event, so a case is either whole or gone and the trail says when. Stale staged uploads (files
 * uploaded for a report that was never sent) go too. Afterwards the WAL is
 * checkpointed and truncated, so deleted pages do not linger in `-wal`.
 *
 * First, the day's batch of reporter events enters the audit chain (as
 * server/audit/trail.ts `sealReporterEvents` does in one go, here in steps:
 * db/audit-seal-queue.ts): the same daily look runs both.
 *
 * Run daily by the server (./scheduler.ts) and on demand by the operator
 * (`npm run ombud -- purge [--dry-run]`). The audit rows keep only the case
 * id and dates: the trail has no foreign keys and still verifies.
 */
import type { Checkpoint, DueCursor, PurgeCandidate, Repositories } from '../../db/index.ts';
import type { AuditTrail } from '../audit/trail.ts';
import { dayOf, type Clock } from '../clock.ts';
import { leaveToServer } from './leave-to-server.ts';
import { checkpointInSteps, sealInSteps, staleTicketsInSteps, stepTimer, type Budget, type Steps } from './purge-chores.ts';

export interface PurgeDeps {
  repos: Pick<Repositories, 'retention' | 'uploads' | 'audit' | 'transaction'>;
  audit: Pick<AuditTrail, 'system'>;
  clock: Clock;
}

export interface PurgeReport {
  day: string;
  /** Cases deleted (or, on a dry run, that would be). */
  cases: PurgeCandidate[];
  /** Cases on legal hold anywhere in the deployment (kept whatever their age). */
  held: number;
  /** Staged uploads of reports never sent, removed (0 on a dry run). */
  staleTickets: number;
  /** undefined on a dry run. */
  checkpoint: Checkpoint | undefined;
  /** Reporter events of earlier days appended to the audit chain in this run (0 on a dry run). */
  sealedReporterEvents: number;
}

/** Cases deleted per transaction: each case whole or gone still, a few hundred commits per 100,000 cases (docs/performance.md). */
export const PURGE_BATCH = 200;
/**
 * How long one step of the server's purge may hold the thread: a batch ends at PURGE_BATCH cases or when
 * its share of this has passed (the rest is left for its commit, see `share` below), whichever comes first. At 1,000,000 cases a case took ≈ 2 ms (its files' pages zeroed,
 * most of them read from disk), so 200 of them held every report for ≈ 420 ms (docs/performance.md).
 */
export const PURGE_BUDGET_MS = 50;
/**
 * Closed cases looked at per page of the listing (db/retention.repo.ts `duePage`): an index entry each, and
 * a look-up of its teams and its hold. Before, the whole listing was one query over every case row
 * (docs/performance.md, "Eighth run"), the first step of the purge whatever the budget: on a 50,000-case
 * database (30,234 due, warm) 362–451 ms, against pages of 0.8 ms on average, the longest 7.5–30 ms.
 */
export const DUE_PAGE = 200;

interface StepOptions {
  dryRun?: boolean;
  batch?: number;
  /** Closed cases looked at per page of the listing (DUE_PAGE). */
  page?: number;
  /** A step also ends once `ms` have passed since it began, by `now` (the server's purge only). */
  budget?: Budget;
}

/** The least share of a step the deletions of a batch are left, whatever their commit took. */
const MIN_DELETION_SHARE = 0.1;

/**
 * The purge as steps, each bounded work whatever the size of the database: each `yield` falls between two
 * of them. The due cases are listed a page at a time as the batches need them (a listing page counts in
 * its step's budget), each batch is one transaction; the chores before and after go in steps too
 * (./purge-chores.ts). A `yield` with a number asks for a pause of at least that many milliseconds.
 */
function* purgeSteps(deps: PurgeDeps, options: StepOptions): Steps<PurgeReport> {
  const { repos, audit, clock } = deps;
  const day = dayOf(clock.now());
  const held = repos.retention.heldCount();
  const pageSize = Math.max(1, options.page ?? DUE_PAGE);
  const { budget } = options;
  let cursor: DueCursor | undefined;
  let listed = false;
  const nextPage = (): PurgeCandidate[] => {
    const page = repos.retention.duePage(day, cursor, pageSize);
    cursor = page.next;
    listed = page.next === undefined;
    return page.cases;
  };

  if (options.dryRun) {
    const cases: PurgeCandidate[] = [];
    for (let over = stepTimer(budget); !listed;) {
      cases.push(...nextPage());
      if (!listed && over()) {
        yield;
        over = stepTimer(budget);
      }
    }
    return { day, cases, held, staleTickets: 0, checkpoint: undefined, sealedReporterEvents: 0 };
  }
  // Before any `case.purged`: a purged case's reporter events enter the chain ahead of its deletion.
  const sealedReporterEvents = yield* sealInSteps(repos, day, budget);
  yield;

  const batch = Math.max(1, options.batch ?? PURGE_BATCH);
  const purged: PurgeCandidate[] = [];
  let queue: PurgeCandidate[] = [];
  // The share of a step the deletions may take. SQLite writes a batch's pages to the log at its commit (and
  // copies the log into the database once it has grown), after the loop that watches the time: measured on
  // a 50,000-case database, a commit took about as long as the deletions before it (46 + 48 ms, 40 + 111
  // ms). So each batch leaves the next the share of its step its own deletions took.
  let share = 1;
  for (;;) {
    const over = stepTimer(budget);
    while (queue.length === 0 && !listed && !over()) queue = nextPage();
    if (queue.length > 0 && !over()) {
      const began = budget?.now() ?? 0;
      let deleting = 0;
      const deleted = repos.transaction(() => {
        const gone: PurgeCandidate[] = [];
        for (let n = 0; n < batch && queue.length > 0; n++) {
          const candidate = queue.shift()!;
          // Checked again inside the transaction: a hold set since the page was read wins.
          if (!repos.retention.holdOf(candidate.caseId) && repos.retention.deleteCase(candidate.caseId)) {
            audit.system('case.purged', { closedDay: candidate.closedDay, keepDays: candidate.keepDays }, candidate.caseId);
            gone.push(candidate);
          }
          if (over(share)) break;
        }
        deleting = (budget?.now() ?? 0) - began;
        return gone;
      });
      purged.push(...deleted);
      // Their files' bodies, after the commit that deleted their rows (db/uploads.repo.ts drainDeletions).
      repos.uploads.drainDeletions(clock.now());
      const took = (budget?.now() ?? 0) - began;
      if (took > 0) share = Math.min(1, Math.max(MIN_DELETION_SHARE, deleting / took));
    }
    yield;
    if (queue.length === 0 && listed) break;
  }

  const staleTickets = yield* staleTicketsInSteps(repos, clock.now(), budget);
  const checkpoint = yield* checkpointInSteps(repos, budget);
  return { day, cases: purged, held, staleTickets, checkpoint, sealedReporterEvents };
}

/** The purge in one go (the operator's `ombud purge`, its own process). */
export function purgeExpired(deps: PurgeDeps, options: { dryRun?: boolean; batch?: number; page?: number } = {}): PurgeReport {
  const steps = purgeSteps(deps, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The purge as the server runs it (./scheduler.ts): batches of at most PURGE_BUDGET_MS, and after each one
 * the thread is given back for as long as the purge just held it, so that reports and sign-ins are answered
 * while a large purge runs. One turn of the event loop is not enough: a report needs several (its body, the
 * awaits of its checks), and with a turn per batch it advanced one step per batch (docs/performance.md).
 * The pause ends early once the server has nothing to do (./leave-to-server.ts). A step that asks for a
 * longer pause (a checkpoint tried again) gets all of it. `now` and `pause` are for tests.
 */
export async function purgeExpiredYielding(
  deps: PurgeDeps,
  options: {
    batch?: number; page?: number; budgetMs?: number; now?: () => number;
    /** Up to `ms` while the server has work, and `atLeast` whatever it has. */
    pause?: (ms: number, atLeast: number) => Promise<void>;
  } = {},
): Promise<PurgeReport> {
  const now = options.now ?? (() => performance.now());
  const pause = options.pause ?? leaveToServer;
  const steps = purgeSteps(deps, { batch: options.batch, page: options.page, budget: { ms: options.budgetMs ?? PURGE_BUDGET_MS, now } });
  for (let began = now(); ; began = now()) {
    const step = steps.next();
    if (step.done) return step.value;
    const asked = step.value ?? 0;
    await pause(Math.max(1, now() - began, asked), asked);
  }
}
