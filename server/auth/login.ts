/**
 * Signing in. Unknown usernames are indistinguishable from known ones: the
 * parameters step answers a deterministic fake salt, and the login step runs
 * scrypt anyway and gives the same 401.
 *
 * Failures are throttled in memory per username and per client (429 with
 * Retry-After before any scrypt runs) and written to the audit trail with
 * the username only. Each attempt is counted before scrypt is awaited and
 * refunded when it succeeds, so simultaneous attempts cannot overrun the
 * limit (server/auth/throttle-race.test.ts).
 *
 * With a second factor enrolled, a correct password alone answers 401
 * `second_factor_required` and no session; the browser sends the same
 * request again with `secondFactor` (a TOTP or recovery code). Wrong codes
 * count as failed sign-ins for the throttles and are audited.
 */
import type { Request, Response } from 'express';
import type { LoginParams, Session } from '../../common/api.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomBase64Url, sha256Hex } from '../security/secrets.ts';
import { clientKey, nameKey } from '../security/throttle.ts';
import { setSessionCookie } from './cookie.ts';
import { presentSession } from './presenter.ts';
import { checkSecondFactor } from './second-factor.ts';
import { SESSION_MAX_MS } from './session-gate.ts';
import { checkVerifier } from './verifier-hash.ts';

export function loginParams(ctx: Pick<AppContext, 'repos' | 'keys'>, username: string): LoginParams {
  const known = ctx.repos.investigators.findByUsername(username);
  if (known) return { salt: known.passwordSalt, kdf: known.kdf };
  return { salt: ctx.keys.hmacBase64Url('fake-salt', username), kdf: { ...PASSWORD_KDF_PARAMS } };
}

export async function login(
  ctx: AppContext,
  req: Request,
  res: Response,
  body: { username: string; verifier: string; secondFactor?: string | undefined },
): Promise<Session> {
  const { loginByClient, loginByUsername } = ctx.throttles;
  const keys = { client: clientKey(req), user: nameKey(body.username) };
  // Counted now, before scrypt is awaited (../security/throttle.ts `take`): checked first and counted
  // after the await, 30 simultaneous attempts all reached the check. A right answer refunds it below.
  const clientWait = loginByClient.take(keys.client);
  const userWait = clientWait > 0 ? 0 : loginByUsername.take(keys.user);
  if (clientWait > 0 || userWait > 0) {
    if (clientWait === 0) loginByClient.refund(keys.client);
    throw new HttpError(429, 'too_many_attempts', 'too many failed sign-ins; wait and try again', {
      'Retry-After': String(Math.max(clientWait, userWait)),
    });
  }
  const refund = () => {
    loginByClient.refund(keys.client);
    loginByUsername.refund(keys.user);
  };

  const found = ctx.repos.investigators.findByUsername(body.username);
  const usable = found && !found.disabled ? found : undefined;
  const team = usable && ctx.repos.teams.find(usable.teamId);
  const ok = await checkVerifier(body.verifier, usable);
  if (!ok || !usable || !team) {
    ctx.audit.investigator('auth.login_failed', null, null, { username: body.username });
    throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
  }
  // The second factor, if enrolled (./second-factor.ts): no session until it is given.
  const second = checkSecondFactor(ctx, usable, body.secondFactor);
  if (second === 'missing') {
    refund(); // the right password and no code yet: not a guess
    throw new HttpError(401, 'second_factor_required', 'enter the 6-digit code from your authenticator app or a recovery code');
  }
  if (second === 'wrong') {
    ctx.audit.investigator('auth.second_factor_failed', usable.id, null, { username: body.username });
    throw new HttpError(401, 'second_factor_invalid', 'this code is not right, or was already used');
  }
  loginByClient.reset(keys.client);
  loginByUsername.reset(keys.user);

  // A fresh session id on every login: nothing a visitor held before counts.
  const sessionId = randomBase64Url(32);
  const csrfToken = randomBase64Url(32);
  const now = ctx.clock.now();
  ctx.repos.transaction(() => {
    ctx.repos.sessions.deleteStale(now, now - ctx.config.sessionIdleMinutes * 60_000);
    ctx.repos.sessions.create({
      idHash: sha256Hex(sessionId), investigatorId: usable.id, csrfToken,
      createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_MAX_MS,
    });
    ctx.audit.investigator('auth.login', usable.id, null);
  });
  setSessionCookie(res, sessionId, ctx.config);
  return presentSession(csrfToken, usable, team, ctx.repos.investigators.languageOf(usable.id));
}
