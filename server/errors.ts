/**
 * Named HTTP errors with stable codes, and the one error handler mounted
 * last. The body of an error is always `{ error, message }` (common/api.ts
 * `ErrorBody`); nothing unknown ever reaches a client: no stack, no SQL, no
 * input echoed back.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';

export const ERROR_CODES = [
  'invalid_request', 'malformed_json', 'body_too_large', 'unsupported_media_type', 'not_found', 'internal_error',
  'cross_origin', 'not_authenticated', 'session_expired', 'csrf_invalid', 'invalid_credentials', 'too_many_attempts',
  'pow_invalid', 'pow_expired', 'pow_reused', 'channel_not_found', 'team_not_offered', 'invalid_public_key',
  'not_encrypted', 'wrong_recipients', 'token_collision', 'case_not_found', 'invalid_transition', 'reason_required',
  'conflict', 'case_not_closed', 'already_answered', 'setup_link_invalid', 'setup_link_used', 'setup_link_expired', 'already_set_up',
  // attachments (server/uploads/)
  'upload_ticket_invalid', 'upload_ticket_expired', 'upload_budget_exceeded', 'upload_not_found', 'attachment_not_found',
  'upload_stalled',
  'upload_too_slow',
  // the team's case work (server/cases/work-routes.ts, server/team/)
  'outcome_required', 'admin_only', 'unknown_investigator', 'investigator_excluded', 'cannot_exclude_self',
  // accounts (server/invites/, server/auth/ second factor)
  'invite_invalid', 'invite_used', 'invite_revoked', 'invite_expired', 'invite_not_found', 'username_taken',
  'second_factor_required', 'second_factor_invalid', 'totp_not_pending',
  // several teams on one deployment (issue 5)
  'deployment_admin_only',
  // pinned keys: certification, admission, founding (server/teams/)
  'key_not_certified', 'key_mismatch', 'not_admitted', 'member_not_found', 'member_disabled',
  'founding_invalid', 'founding_used', 'founding_revoked', 'founding_expired', 'founding_not_found', 'recovery_key_in_use',
  // intake channels set up by deployment administrators (server/channels/)
  'channel_slug_taken', 'team_not_found', 'no_team_offered', 'team_listed_twice', 'no_team_preselected',
  'preselected_not_offered', 'language_listed_twice',
  // people: re-wrapping to a newcomer, removal, recovery (server/members/, server/recovery/)
  'item_not_found', 'invalid_key_packet', 'last_member', 'last_admin',
  'recovery_invalid', 'recovery_expired', 'recovery_reused', 'recovery_key_unknown', 'signature_invalid',
  // retention and legal holds (server/retention/)
  'no_legal_hold',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** "lookupId: must be 32 bytes of base64url; teamIds.0: …" — paths and zod's words only, never the input. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

/** body-parser errors carry a `type`; map the ones a client can cause. */
function fromBodyParser(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch ((error as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'malformed_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'body_too_large', 'the request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'send JSON encoded as UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new HttpError(400, 'invalid_request', 'the request body could not be read');
    default:
      return undefined;
  }
}

export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ZodError) return new HttpError(400, 'invalid_request', describeZodError(error));
  // The router could not percent-decode a path parameter (`/api/channels/%ZZ`).
  if (error instanceof URIError) return new HttpError(400, 'invalid_request', 'the address is not validly percent-encoded');
  return fromBodyParser(error) ?? new HttpError(500, 'internal_error', 'something went wrong on the server');
}

/** Mounted last. Never rethrows; logs only unexpected errors, and only their name. */
export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const http = toHttpError(error);
  if (http.status >= 500) {
    // The message or stack of an unknown error may quote SQL or input: keep them out of logs too.
    console.error(`internal error: ${error instanceof Error ? error.name : typeof error}`);
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(http.status).set(http.headers).json({ error: http.code, message: http.message });
};

/** For unknown /api paths: a JSON 404. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, 'not_found', 'no such API endpoint'));
};
