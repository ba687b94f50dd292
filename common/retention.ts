/**
 * The HTTP contract of retention and legal holds (server/retention/routes.ts),
 * beside common/api.ts and built the same way: the server validates with
 * these schemas, the browser imports only their types.
 */
import { z } from 'zod';
import { LEGAL_HOLD_REASON_CHARS, RETENTION_DAYS } from './limits.ts';
import { day } from './api.ts';

/** How many days after closing the team keeps a closed case. */
export const TeamRetention = z.strictObject({
  retentionDays: z.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max),
});

/** Clear text, one line: why the case must be kept (a court order, an authority's request) — never report details. */
export const LegalHoldRequest = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(3, 'say in a few words why the case must be kept')
    .max(LEGAL_HOLD_REASON_CHARS)
    // No control characters (a newline included): a short line, shown as typed.
    .regex(/^[^\p{Cc}]*$/u, 'one line, without control characters'),
});

export const LegalHoldView = z.object({
  reason: z.string(),
  setDay: day,
  /** Display name of the administrator who set it; null if that account is gone. */
  setByName: z.string().nullable(),
});

/** What the case view shows about keeping and deleting a case. */
export const CaseRetention = z.object({
  legalHold: LegalHoldView.nullable(),
  /** The longest retention of the case's teams. */
  keepDays: z.number().int(),
  /** The first day the purge deletes the case (closed cases only; null while open or on hold). */
  purgeFromDay: day.nullable(),
});

/** Cases of my team on legal hold (the inbox marks them). */
export const TeamLegalHolds = z.object({ caseIds: z.array(z.string()) });

export type TeamRetention = z.infer<typeof TeamRetention>;
export type LegalHoldRequest = z.infer<typeof LegalHoldRequest>;
export type CaseRetention = z.infer<typeof CaseRetention>;
export type TeamLegalHolds = z.infer<typeof TeamLegalHolds>;
