/**
 * The purge: deletes every closed case whose retention has passed and that
 * is not on legal hold (db/retention.repo.ts decides which), each in its own
 * transaction together with its `case.purged` audit event, so a case is
 * either whole or gone and the trail says when. Stale staged uploads (files
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

export function purgeExpired(deps: PurgeDeps, options: { dryRun?: boolean } = {}): PurgeReport {
  const { repos, audit, clock } = deps;
  const day = dayOf(clock.now());
  const due = repos.retention.dueForPurge(day);
  const held = repos.retention.heldCount();
  if (options.dryRun) return { day, cases: due, held, staleTickets: 0, checkpoint: undefined, sealedReporterEvents: 0 };
  // Before any `case.purged`: a purged case's reporter events enter the chain ahead of its deletion.
  const sealedReporterEvents = audit.sealReporterEvents();

  const purged: PurgeCandidate[] = [];
  for (const candidate of due) {
    const deleted = repos.transaction(() => {
      // Checked again inside the transaction: a hold set since the list was read wins.
      if (repos.retention.holdOf(candidate.caseId)) return false;
      if (!repos.retention.deleteCase(candidate.caseId)) return false;
      audit.system('case.purged', { closedDay: candidate.closedDay, keepDays: candidate.keepDays }, candidate.caseId);
      return true;
    });
    if (deleted) purged.push(candidate);
  }
  const staleTickets = repos.uploads.purgeStale(clock.now());
  const checkpoint = repos.retention.checkpointTruncate();
  return { day, cases: purged, held, staleTickets, checkpoint, sealedReporterEvents };
}
