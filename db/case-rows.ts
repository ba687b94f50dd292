/**
 * Case types and the mapping of `cases` rows, shared by the repository that
 * writes cases (cases.repo.ts) and the one that lists them (case-lists.repo.ts).
 */
import type { Stage } from '../common/limits.ts';
import { decodeKeyIds, toBytes } from './columns.ts';

/** Workflow fields, what a list of cases shows. */
export interface CaseWorkflow {
  id: string;
  channelSlug: string;
  stage: Stage;
  receivedDay: string;
  acknowledgeByDay: string;
  feedbackMonths: number;
  acknowledgedDay: string | null;
  closedDay: string | null;
  lastActivityDay: string;
}

export interface CaseRecord extends CaseWorkflow {
  lookupHash: string;
  verifierHash: string;
  reporterPublicKey: string;
  reporterKeyIds: string[];
  wrappedReporterKey: string;
  report: Uint8Array;
  /** The status binding (migration 013), opaque; null for a case made before protocol v2 and not yet bound. */
  statusBinding?: string | null;
}

/** Columns of CaseWorkflow, for a query aliasing `cases` as `c`. */
export const WORKFLOW_COLUMNS = `c.id, c.channel_slug, c.stage, c.received_day, c.acknowledge_by_day, c.feedback_months,
  c.acknowledged_day, c.closed_day, c.last_activity_day`;
/** The other columns of CaseRecord. */
export const SECRET_COLUMNS = `c.lookup_hash, c.verifier_hash, c.reporter_public_key, c.reporter_key_ids,
  c.wrapped_reporter_key, c.report, c.status_binding`;

export type Row = Record<string, unknown>;

export const toWorkflow = (r: Row): CaseWorkflow => ({
  id: r.id as string,
  channelSlug: r.channel_slug as string,
  stage: r.stage as Stage,
  receivedDay: r.received_day as string,
  acknowledgeByDay: r.acknowledge_by_day as string,
  feedbackMonths: r.feedback_months as number,
  acknowledgedDay: (r.acknowledged_day as string | null) ?? null,
  closedDay: (r.closed_day as string | null) ?? null,
  lastActivityDay: r.last_activity_day as string,
});

export const toRecord = (r: Row): CaseRecord => ({
  ...toWorkflow(r),
  lookupHash: r.lookup_hash as string,
  verifierHash: r.verifier_hash as string,
  reporterPublicKey: r.reporter_public_key as string,
  reporterKeyIds: decodeKeyIds(r.reporter_key_ids as string),
  wrappedReporterKey: r.wrapped_reporter_key as string,
  report: toBytes(r.report as Buffer),
  statusBinding: (r.status_binding as string | null) ?? null,
});
