/**
 * The purge: deletes every closed case whose retention has passed and that
 * is not on legal hold (db/retention.repo.ts decides which), in batches of
 * cases, each batch one transaction with every case's `case.purged` audit
 * event, so a case is either whole or gone and the trail says when. Stale staged uploads (files
 * uploaded for a report that was never sent) go too. Afterwards the WAL is
 * checkpointed and truncated, so deleted pages do not linger in `-wal`.
 *
 * First, the day's batch of reporter events enters the audit chain
 * (server/audit/trail.ts `sealReporterEvents`): the same daily look runs both.
 *
 * Run daily by the server (./scheduler.ts) and on demand by the operator
 * (`npm run ombud -- purge [--dry-run]`). The audit rows keep only the case
 * id and dates: the trail has no foreign keys and still verifies.
 */
import type { Checkpoint, PurgeCandidate, Repositories } from '../../db/index.ts';
import type { AuditTrail } from '../audit/trail.ts';
import { dayOf, type Clock } from '../clock.ts';

export interface PurgeDeps {
  repos: Pick<Repositories, 'retention' | 'uploads' | 'transaction'>;
  audit: Pick<AuditTrail, 'system' | 'sealReporterEvents'>;
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

/** The purge as steps: each `yield` falls between two committed batches. */
function* purgeSteps(deps: PurgeDeps, options: { dryRun?: boolean; batch?: number }): Generator<void, PurgeReport> {
  const { repos, audit, clock } = deps;
  const day = dayOf(clock.now());
  const due = repos.retention.dueForPurge(day);
  const held = repos.retention.heldCount();
  if (options.dryRun) return { day, cases: due, held, staleTickets: 0, checkpoint: undefined, sealedReporterEvents: 0 };
  // Before any `case.purged`: a purged case's reporter events enter the chain ahead of its deletion.
  const sealedReporterEvents = audit.sealReporterEvents();

  const batch = Math.max(1, options.batch ?? PURGE_BATCH);
  const purged: PurgeCandidate[] = [];
  for (let from = 0; from < due.length; from += batch) {
    if (from > 0) yield;
    const deleted = repos.transaction(() =>
      due.slice(from, from + batch).filter((candidate) => {
        // Checked again inside the transaction: a hold set since the list was read wins.
        if (repos.retention.holdOf(candidate.caseId)) return false;
        if (!repos.retention.deleteCase(candidate.caseId)) return false;
        audit.system('case.purged', { closedDay: candidate.closedDay, keepDays: candidate.keepDays }, candidate.caseId);
        return true;
      }),
    );
    purged.push(...deleted);
  }
  const staleTickets = repos.uploads.purgeStale(clock.now());
  const checkpoint = repos.retention.checkpointTruncate();
  return { day, cases: purged, held, staleTickets, checkpoint, sealedReporterEvents };
}

/** The purge in one go (the operator's `ombud purge`, its own process). */
export function purgeExpired(deps: PurgeDeps, options: { dryRun?: boolean; batch?: number } = {}): PurgeReport {
  const steps = purgeSteps(deps, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The purge as the server runs it (./scheduler.ts): the same batches, with the
 * event loop given back between two of them, so that reports and sign-ins are
 * answered while a large purge runs.
 */
export async function purgeExpiredYielding(deps: PurgeDeps, options: { batch?: number } = {}): Promise<PurgeReport> {
  const steps = purgeSteps(deps, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
