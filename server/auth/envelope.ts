/**
 * Storing a re-sealed key envelope (docs/protocol.md "v2: workspace trust
 * root"): after the investigator confirmed their team's recovery fingerprint
 * (an envelope made before v2), or a deployment administrator added a team
 * to the teams they may send to. The envelope is opaque here; the server
 * checks only that it is base64url of a known version and that the
 * password's verifier is the account's (a stolen session alone cannot
 * replace it). It cannot forge the root inside: that is authenticated by the
 * password-derived key it never sees.
 *
 * The verifier check is a password guess like a sign-in, so it counts against
 * the same per-user-name limit, taken before scrypt is awaited and refunded
 * on success (./login.ts): a stolen session cannot test passwords here faster
 * than at the sign-in page.
 */
import type { EnvelopeRequest } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { decodeField } from '../encoding.ts';
import { HttpError } from '../errors.ts';
import { nameKey } from '../security/throttle.ts';
import type { InvestigatorRecord } from '../../db/index.ts';
import { checkVerifier } from './verifier-hash.ts';

export async function storeEnvelope(ctx: AppContext, investigator: InvestigatorRecord, body: EnvelopeRequest): Promise<void> {
  const bytes = decodeField('wrappedPrivateKey', body.wrappedPrivateKey);
  if (bytes[0] !== 2) throw new HttpError(400, 'invalid_envelope', 'only a version 2 key envelope (with a trust root) can be stored');
  const { loginByUsername } = ctx.throttles;
  const user = nameKey(investigator.username);
  const wait = loginByUsername.take(user);
  if (wait > 0) {
    throw new HttpError(429, 'too_many_attempts', 'too many wrong passwords; wait and try again', { 'Retry-After': String(wait) });
  }
  if (!(await checkVerifier(body.verifier, investigator))) {
    ctx.audit.investigator('auth.envelope_failed', investigator.id, null, { username: investigator.username });
    throw new HttpError(403, 'verifier_invalid', 'this is not the account’s password');
  }
  loginByUsername.refund(user);
  if (!ctx.repos.investigators.setEnvelope(investigator.id, body.wrappedPrivateKey)) {
    throw new HttpError(401, 'not_authenticated', 'sign in first');
  }
  ctx.audit.investigator('auth.envelope_sealed', investigator.id, null, { version: 2 });
}
