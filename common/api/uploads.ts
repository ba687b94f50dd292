/** Encrypted attachments (docs/protocol.md, "Attachments"; server/uploads/). */
import { z } from 'zod';
import { id } from './fields.ts';
import { PowSolution } from './intake.ts';

export const UploadTicketRequest = z.strictObject({ pow: PowSolution });

export const UploadTicket = z.object({
  /** Sent back in the X-Ombud-Upload-Ticket header of each upload, and in the intake. */
  ticket: z.string(),
  expiresInSeconds: z.number().int(),
  maxUploads: z.number().int(),
  maxBytes: z.number().int(),
});

export const UploadCreated = z.object({ uploadId: id });

/** An attachment as listed to investigators and to the reporter: the name and type are inside the report. */
export const AttachmentRef = z.object({ id, size: z.number().int() });

export const AttachmentParams = z.object({ attachmentId: id });

/**
 * A resumable upload (docs/protocol.md "v2: idempotent sends and resumable uploads"): `offset` bytes of
 * `length` are held by the server; `complete` once every byte arrived and it was staged under `uploadId`.
 */
export const UploadState = z.object({ uploadId: id, offset: z.number().int(), length: z.number().int(), complete: z.boolean() });

export const UploadIdParams = z.object({ uploadId: id });

export type UploadState = z.infer<typeof UploadState>;

export type UploadTicket = z.infer<typeof UploadTicket>;

export type UploadCreated = z.infer<typeof UploadCreated>;

export type AttachmentRef = z.infer<typeof AttachmentRef>;

/** Error codes (`ErrorBody.error`) of this domain. Encrypted attachments. */
export const UPLOAD_ERROR_CODES = [
  'upload_ticket_invalid', 'upload_ticket_expired', 'upload_budget_exceeded', 'upload_not_found',
  'attachment_not_found', 'upload_stalled', 'upload_too_slow',
  // Resumable uploads (server/reporter/upload-resume.ts).
  'upload_unknown', 'upload_offset_mismatch', 'upload_changed', 'upload_length_exceeded', 'upload_digest_mismatch',
] as const;
