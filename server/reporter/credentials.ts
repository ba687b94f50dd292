/**
 * Finding a case from the reporter's token-derived credentials. A wrong
 * lookup id and a wrong verifier get the same answer (404
 * `case_not_found`), computed the same way.
 *
 * Failed attempts are throttled per client (../security/throttle.ts): ten
 * free, then exponentially longer blocks during which failures answer 429.
 * A correct lookup is always answered, even from a blocked address — a
 * worker behind the same factory NAT as an attacker must not be locked out
 * of their own case. This leaves a guesser nothing: the lookup id is 256
 * bits derived from an ≥80-bit token through a memory-hard KDF, so the
 * limiter is about cost, not about keeping a small secret.
 */
import type { Request } from 'express';
import type { ReporterCredentials } from '../../common/api.ts';
import type { CaseRecord } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { safeEqual } from '../security/secrets.ts';
import { clientKey } from '../security/throttle.ts';

export function findReporterCase(
  ctx: Pick<AppContext, 'repos' | 'keys' | 'throttles'>,
  req: Request,
  credentials: ReporterCredentials,
): CaseRecord {
  const record = ctx.repos.cases.findByLookupHash(ctx.keys.hmacHex('lookup', credentials.lookupId));
  // Computed whether or not the case exists, so both failures cost the same.
  const verifierHash = ctx.keys.hmacHex('verifier', credentials.verifier);
  const verified = safeEqual(verifierHash, record?.verifierHash ?? '0'.repeat(64));
  if (record && verified) return record;

  const throttle = ctx.throttles.reporterByClient;
  const client = clientKey(req);
  const retryAfter = throttle.retryAfterSeconds(client);
  throttle.fail(client);
  if (retryAfter > 0) {
    throw new HttpError(429, 'too_many_attempts', 'too many failed attempts; wait and try again', {
      'Retry-After': String(retryAfter),
    });
  }
  throw new HttpError(404, 'case_not_found', 'no case matches this token');
}
