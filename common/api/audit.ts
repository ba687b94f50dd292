/** The audit trail and its chain check (server/audit/). */
import { z } from 'zod';
import { day } from './fields.ts';

export const AuditEventView = z.object({
  /**
   * Place in the hash chain; null for a reporter's event that waits for the daily batch (it enters the chain,
   * with the other reporter events of its day, after that day's timed events — docs/protocol.md "v2: reporter events").
   */
  seq: z.number().int().positive().nullable(),
  day,
  /** Milliseconds; null for reporter events (day only). */
  at: z.number().int().nullable(),
  actor: z.enum(['reporter', 'investigator', 'system']),
  /** Display name of the investigator, when one caused the event. */
  actorName: z.string().nullable(),
  caseId: z.string().nullable(),
  action: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export const AuditPage = z.object({
  events: z.array(AuditEventView),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.number().int().nullable(),
});

export const AuditPageQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AuditChainCheck = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  /** The first row (seq) that does not fit the chain. */
  brokenAt: z.number().int().positive().optional(),
});

export type AuditEventView = z.infer<typeof AuditEventView>;

export type AuditPage = z.infer<typeof AuditPage>;

export type AuditChainCheck = z.infer<typeof AuditChainCheck>;
