/**
 * Named HTTP errors with stable codes, and the one error handler mounted
 * last. The body of an error is always `{ error, message }` (common/api.ts
 * `ErrorBody`); nothing unknown ever reaches a client: no stack, no SQL, no
 * input echoed back.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import {
  ACCOUNT_ERROR_CODES, CASE_ERROR_CODES, CHANNEL_ERROR_CODES, GENERAL_ERROR_CODES, INTAKE_ERROR_CODES, PEOPLE_ERROR_CODES,
  SETUP_ERROR_CODES, STATUS_ERROR_CODES, UPLOAD_ERROR_CODES, PROMPT_ERROR_CODES,
} from '../common/api.ts';

/**
 * Every stable error code an HttpError may carry: one set combined from the lists kept beside each domain in common/api/.
 */
export const ERROR_CODES = [
  ...GENERAL_ERROR_CODES,
  ...ACCOUNT_ERROR_CODES,
  ...INTAKE_ERROR_CODES,
  ...CHANNEL_ERROR_CODES,
  ...CASE_ERROR_CODES,
  ...STATUS_ERROR_CODES,
  ...SETUP_ERROR_CODES,
  ...UPLOAD_ERROR_CODES,
  ...PEOPLE_ERROR_CODES,
  ...PROMPT_ERROR_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The HTTP status(es) each code is answered with: the one table the OpenAPI document groups its error answers by
 * (server/openapi/errors.ts). server/openapi/errors.test.ts scans every HttpError thrown in server/ and
 * fails if a throw is missing here, or a code here is thrown nowhere.
 */
export const ERROR_STATUS: { readonly [C in ErrorCode]: readonly number[] } = {
  // general
  invalid_request: [400], malformed_json: [400], body_too_large: [413], unsupported_media_type: [415], not_found: [404],
  internal_error: [500], cross_origin: [403], conflict: [409],
  // accounts
  not_authenticated: [401], session_expired: [401], csrf_invalid: [403], invalid_credentials: [401],
  too_many_attempts: [429], second_factor_required: [401], second_factor_invalid: [400, 401], totp_not_pending: [409],
  admin_only: [403], deployment_admin_only: [403], not_admitted: [403, 409], invalid_envelope: [400], verifier_invalid: [403],
  // intake
  pow_invalid: [403], pow_expired: [403], pow_reused: [403], team_not_offered: [400], invalid_public_key: [400],
  not_encrypted: [400], wrong_recipients: [400], token_collision: [409],
  intake_conflict: [409],
  // channels
  channel_not_found: [404], channel_slug_taken: [409], team_not_found: [400], no_team_offered: [400],
  team_listed_twice: [400], no_team_preselected: [400], preselected_not_offered: [400], language_listed_twice: [400],
  // cases
  case_not_found: [404], invalid_transition: [409], reason_required: [400], outcome_required: [400],
  unknown_investigator: [400], investigator_excluded: [400], cannot_exclude_self: [400], no_legal_hold: [409],
  voice_quota_exceeded: [429],
  // status
  case_not_closed: [409], already_answered: [409], already_bound: [409],
  // setup
  setup_link_invalid: [403], setup_link_used: [410], setup_link_expired: [410], already_set_up: [409],
  // uploads
  upload_ticket_invalid: [403], upload_ticket_expired: [403], upload_budget_exceeded: [413, 429], upload_not_found: [400],
  attachment_not_found: [404], upload_stalled: [408], upload_too_slow: [408],
  upload_unknown: [404], upload_offset_mismatch: [409], upload_changed: [409], upload_length_exceeded: [413], upload_digest_mismatch: [400],
  // people
  invite_invalid: [403], invite_used: [410], invite_revoked: [410], invite_expired: [410], invite_not_found: [404],
  username_taken: [409], key_not_certified: [400], key_mismatch: [400], member_not_found: [404], member_disabled: [409],
  founding_invalid: [403], founding_used: [410], founding_revoked: [410], founding_expired: [410], founding_not_found: [404],
  recovery_key_in_use: [409], item_not_found: [404], invalid_key_packet: [400], last_member: [409], last_admin: [409],
  recovery_invalid: [403], recovery_expired: [403], recovery_reused: [403], recovery_key_unknown: [404],
  signature_invalid: [403],
  team_name_language_twice: [400], team_name_signature_invalid: [400],
  // prompts
  prompt_not_audio: [415], prompt_too_large: [413], prompt_too_long: [400], prompt_unknown_key: [404], prompt_bad_signature: [400],
  prompt_not_found: [404],
};

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

/** A path segment as the schema names it; anything else (a key only the client chose) is not repeated. */
const pathSegment = (segment: PropertyKey): string =>
  typeof segment === 'number' || (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(segment)) ? String(segment) : '?';

/**
 * "lookupId: must be 32 bytes of base64url; teamIds.0: …" — paths and zod's words only, never the input.
 * Unknown keys are counted, not named: zod's own message quotes them, and they are the client's words
 * (markup, terminal escapes).
 */
export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(pathSegment).join('.') : 'body';
      if (issue.code === 'unrecognized_keys') {
        const n = issue.keys.length;
        return `${where}: ${n} unknown field${n === 1 ? '' : 's'} (this request takes only the documented ones)`;
      }
      return `${where}: ${issue.message}`;
    })
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
