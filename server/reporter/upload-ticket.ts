/**
 * Upload tickets: bought with one proof of work, they let a worker's browser
 * upload the encrypted files of ONE report before sending it.
 *
 *   ticket = "u1." + expiresAtMs + "." + random(16 B, b64url) + "." + mac
 *   mac    = HMAC-SHA256(server secret, "upload-ticket:" + everything before it), b64url
 *
 * Nothing is stored when a ticket is issued; its budget (uploads, bytes) is
 * counted in db upload_tickets from its first upload on, and a report spends
 * it. The expiry stays in the signed text; the database keeps only a purge
 * time rounded up to the hour.
 */
import type { UploadTicket } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomBase64Url, safeEqual } from '../security/secrets.ts';

export const TICKET_TTL_MS = 60 * 60_000;
const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
const FORMAT = /^u1\.(\d{13})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** The `X-Ombud-Upload-Ticket` request header. */
export const TICKET_HEADER = 'x-ombud-upload-ticket';

export interface VerifiedTicket {
  id: string;
  expiresAt: number;
  /** When stale uploads under it may be deleted: the next whole hour after expiry, plus one. */
  purgeAfter: number;
  /** When the row of a ticket spent by a report may go: the end of the day after its expiry (a day, not an hour). */
  spentPurgeAfter: number;
}

export function issueTicket(ctx: Pick<AppContext, 'keys' | 'clock'>): UploadTicket {
  const signed = `u1.${ctx.clock.now() + TICKET_TTL_MS}.${randomBase64Url(16)}`;
  return {
    ticket: `${signed}.${ctx.keys.hmacBase64Url('upload-ticket', signed)}`,
    expiresInSeconds: TICKET_TTL_MS / 1000,
    maxUploads: LIMITS.uploadsPerTicket,
    maxBytes: LIMITS.uploadTicketBytes,
  };
}

/** Throws 403 `upload_ticket_invalid` / `upload_ticket_expired`. */
export function verifyTicket(ctx: Pick<AppContext, 'keys' | 'clock'>, ticket: string | undefined): VerifiedTicket {
  const match = FORMAT.exec(ticket ?? '');
  if (!ticket || !match) throw new HttpError(403, 'upload_ticket_invalid', 'the upload ticket is missing or not valid');
  const signed = ticket.slice(0, ticket.lastIndexOf('.'));
  if (!safeEqual(match[3]!, ctx.keys.hmacBase64Url('upload-ticket', signed))) {
    throw new HttpError(403, 'upload_ticket_invalid', 'the upload ticket is missing or not valid');
  }
  const expiresAt = Number(match[1]);
  if (expiresAt <= ctx.clock.now()) {
    throw new HttpError(403, 'upload_ticket_expired', 'the upload ticket has expired; get a new one and upload again');
  }
  return {
    id: match[2]!, expiresAt, purgeAfter: (Math.ceil(expiresAt / HOUR_MS) + 1) * HOUR_MS,
    spentPurgeAfter: (Math.floor(expiresAt / DAY_MS) + 2) * DAY_MS,
  };
}
