/** The reporter's follow-up with token-derived credentials only (server/status/). */
import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { b64, day, id, secret32, stage, statusBinding } from './fields.ts';
import { AttachmentRef } from './uploads.ts';

export const ReporterCredentials = z.strictObject({ lookupId: secret32, verifier: secret32 });

export const ThreadMessage = z.object({
  id,
  from: z.enum(['reporter', 'team']),
  day,
  body: z.string(),
  /** Files sent with a reporter's message (names and types are inside the message); absent when none. */
  attachments: z.array(AttachmentRef).optional(),
});

export const StatusView = z.object({
  stage,
  receivedDay: day,
  acknowledgedDay: day.nullable(),
  acknowledgeByDay: day,
  feedbackByDay: day,
  closedDay: day.nullable(),
  reporterPublicKey: z.string(),
  wrappedReporterKey: z.string(),
  /** Keys a reply from the reporter must be encrypted to (besides the reporter's own). */
  teamKeys: z.array(z.string()),
  /**
   * Protocol v2: the case's teams as the status page checks them, exactly as
   * the report form did (client/lib/pins.ts): each recovery key against
   * the binding's pins, each investigator key certified by it. Together they
   * are `teamKeys`.
   */
  teams: z.array(z.object({ id, recoveryKey: z.string(), investigatorKeys: z.array(z.string()) })),
  /** Protocol v2: the binding the form made (or the first visit made, for an older case); null: not bound yet. */
  statusBinding: z.string().nullable(),
  report: z.string(),
  messages: z.array(ThreadMessage),
  attachments: z.array(AttachmentRef),
  /** The one question after closure was answered; it is not asked again. */
  satisfactionGiven: z.boolean(),
});

export const ReporterMessageRequest = z.strictObject({
  lookupId: secret32,
  verifier: secret32,
  body: b64(LIMITS.messageCiphertextBytes).min(1),
});

/** A reply on the status page: like any reporter message, plus staged uploads (POST /api/uploads) sent with it. */
export const ReporterReplyRequest = ReporterMessageRequest.extend({
  /** Needs `uploadTicket`; each file must be encrypted to exactly the message's recipients. */
  attachments: z.array(id).max(LIMITS.attachmentsPerReport).optional(),
  uploadTicket: z.string().max(200).optional(),
});

export const MessageCreated = z.object({ id, day });

/**
 * Protocol v2, a case made before it: its first visit binds what the report
 * says (trust on first use) and wraps the reporter key anew for v2. Accepted
 * once; a bound case answers 409 `already_bound`.
 */
export const StatusBindRequest = ReporterCredentials.extend({
  statusBinding,
  wrappedReporterKey: b64(LIMITS.wrappedKeyBytes).min(1),
});

export type ReporterCredentials = z.infer<typeof ReporterCredentials>;

export type StatusView = z.infer<typeof StatusView>;

export type ThreadMessage = z.infer<typeof ThreadMessage>;

export type ReporterMessageRequest = z.infer<typeof ReporterMessageRequest>;

export type ReporterReplyRequest = z.infer<typeof ReporterReplyRequest>;

export type MessageCreated = z.infer<typeof MessageCreated>;

export type StatusBindRequest = z.infer<typeof StatusBindRequest>;

/** Error codes (`ErrorBody.error`) of this domain. The reporter's follow-up. */
export const STATUS_ERROR_CODES = [
  'case_not_closed', 'already_answered', 'already_bound',
] as const;
