/** Case work: the inbox, a case, its stage, notes, assignment, labels, risk, exclusions, the team's messages (server/cases/). */
import { z } from 'zod';
import { CASE_LABELS, LIMITS, OUTCOMES, RISK_LEVELS } from '../limits.ts';
import { b64, day, id, slug, stage } from './fields.ts';
import { AttachmentRef } from './uploads.ts';
import { ThreadMessage } from './status.ts';

export const CaseSummary = z.object({
  id,
  teamId: id,
  channel: z.object({ slug, name: z.string() }),
  stage,
  receivedDay: day,
  acknowledgedDay: day.nullable(),
  acknowledgeByDay: day,
  feedbackByDay: day,
  closedDay: day.nullable(),
  lastActivityDay: day,
  /** Messages from the reporter since the team last wrote. */
  awaitingReply: z.boolean(),
  /** The reporter reported retaliation on this case (the content stays encrypted). */
  urgent: z.boolean(),
  /** The first day they did; null if never. */
  urgentDay: day.nullable(),
  /** Bumped by every workflow change; send it back with a change (409 `conflict` if it moved on). */
  version: z.number().int(),
  assignee: z.object({ id, displayName: z.string() }).nullable(),
  /** Chosen by the team, in the clear: never report details. */
  labels: z.array(z.string()),
  riskLevel: z.enum(RISK_LEVELS).nullable(),
  /** Set when the case was closed. */
  outcome: z.enum(OUTCOMES).nullable(),
});

export const CaseList = z.object({
  cases: z.array(CaseSummary),
  /** How many cases the team's inbox holds for this investigator in all. */
  total: z.number().int().nonnegative(),
  /** `cases` is the whole inbox; false for the first page (`?first=`), where the rest comes from a second request. */
  complete: z.boolean(),
});

/** `GET /api/cases?first=N`: only the first N cases in the inbox's order (urgent first, then newest), and the total. */
export const CaseListQuery = z.object({
  first: z.coerce.number().int().min(1).max(1000).optional(),
});

export const CaseDetail = z.object({
  case: CaseSummary,
  reporterPublicKey: z.string(),
  report: z.string(),
  messages: z.array(ThreadMessage),
  /** Keys a team reply must be encrypted to, besides the reporter's. */
  teamKeys: z.array(z.string()),
  history: z.array(z.object({ stage, day, reason: z.string().nullable(), by: z.string() })),
  attachments: z.array(AttachmentRef),
  /** Internal notes, team only (encrypted to `noteKeys`); never in the reporter's status view. */
  notes: z.array(z.object({ id, day, by: z.string(), body: z.string() })),
  /** Keys a note or a risk rationale must be encrypted to: the teams' investigators not excluded, and recovery keys. */
  noteKeys: z.array(z.string()),
  /** The latest retaliation-risk assessment; its rationale is encrypted like a note. */
  risk: z.object({ level: z.enum(RISK_LEVELS), day, by: z.string(), rationale: z.string() }).nullable(),
  /** Investigators excluded from this case (conflict of interest). */
  exclusions: z.array(z.object({ investigatorId: id, displayName: z.string(), day })),
});

export const StageChangeRequest = z.strictObject({
  stage,
  reason: z.string().max(LIMITS.stageReasonChars).optional(),
  /** Required when moving to `closed`. */
  outcome: z.enum(OUTCOMES).optional(),
});

export const NoteRequest = z.strictObject({ body: b64(LIMITS.messageCiphertextBytes).min(1) });

export const NoteCreated = z.object({ id, day });

export const AssignRequest = z.strictObject({ investigatorId: id.nullable(), version: z.number().int() });

export const LabelsRequest = z.strictObject({
  labels: z.array(z.string().trim().min(1).max(CASE_LABELS.chars)).max(CASE_LABELS.perCase),
  version: z.number().int(),
});

export const RiskRequest = z.strictObject({
  level: z.enum(RISK_LEVELS),
  rationale: b64(LIMITS.messageCiphertextBytes).min(1),
  version: z.number().int(),
});

export const ExclusionRequest = z.strictObject({ investigatorId: id });

export const TeamMessageRequest = z.strictObject({
  body: b64(LIMITS.messageCiphertextBytes).min(1),
  /**
   * A voice reply staged with POST /api/cases/:id/voice by the same
   * investigator for the same case: it is attached to this message, and must
   * be encrypted to exactly the message's recipients.
   */
  voice: id.optional(),
});

export type CaseSummary = z.infer<typeof CaseSummary>;

export type CaseList = z.infer<typeof CaseList>;

export type CaseDetail = z.infer<typeof CaseDetail>;

export type StageChangeRequest = z.infer<typeof StageChangeRequest>;

export type AssignRequest = z.infer<typeof AssignRequest>;

export type LabelsRequest = z.infer<typeof LabelsRequest>;

export type RiskRequest = z.infer<typeof RiskRequest>;

/** Error codes (`ErrorBody.error`) of this domain. A case and the team's work on it; legal holds (server/retention/). */
export const CASE_ERROR_CODES = [
  'case_not_found', 'invalid_transition', 'reason_required', 'outcome_required', 'unknown_investigator',
  'investigator_excluded', 'cannot_exclude_self', 'no_legal_hold',
  'voice_quota_exceeded',
] as const;
