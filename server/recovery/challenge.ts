/**
 * Single-use, expiring challenges for team recovery, signed by the server
 * like proof-of-work challenges (server/reporter/pow-challenge.ts):
 *
 *   challenge = "r1." + expiresAtMs + "." + random(16 B, b64url) + "." + mac
 *   mac       = HMAC-SHA256(server secret, "recovery-challenge:" + everything before it), b64url
 *
 * Nothing is stored when one is issued; when one is spent its random part is
 * recorded with the spent proof-of-work challenges (db used_pow, prefixed
 * `recovery:`, by day), so it works once.
 */
import type { RecoveryChallenge } from '../../common/api.ts';
import { dayOf } from '../clock.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomBase64Url, safeEqual } from '../security/secrets.ts';

export const RECOVERY_CHALLENGE_TTL_MS = 10 * 60_000;
const FORMAT = /^r1\.(\d{13})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function issueRecoveryChallenge(ctx: Pick<AppContext, 'keys' | 'clock'>): RecoveryChallenge {
  const expiresAt = ctx.clock.now() + RECOVERY_CHALLENGE_TTL_MS;
  const signed = `r1.${expiresAt}.${randomBase64Url(16)}`;
  return { challenge: `${signed}.${ctx.keys.hmacBase64Url('recovery-challenge', signed)}`, expiresAt, kdf: { ...PASSWORD_KDF_PARAMS } };
}

/** 403 `recovery_invalid` / `recovery_expired`; returns what spending it needs. */
export function checkRecoveryChallenge(ctx: Pick<AppContext, 'keys' | 'clock'>, challenge: string): { random: string; expiresAt: number } {
  const match = FORMAT.exec(challenge);
  const signed = challenge.slice(0, challenge.lastIndexOf('.'));
  if (!match || !safeEqual(match[3]!, ctx.keys.hmacBase64Url('recovery-challenge', signed))) {
    throw new HttpError(403, 'recovery_invalid', 'this recovery challenge is not valid; start again');
  }
  const expiresAt = Number(match[1]);
  if (expiresAt <= ctx.clock.now()) throw new HttpError(403, 'recovery_expired', 'the recovery challenge has expired; start again');
  return { random: match[2]!, expiresAt };
}

/** 403 `recovery_reused` when it was spent before. */
export function spendRecoveryChallenge(ctx: Pick<AppContext, 'repos' | 'clock'>, spent: { random: string; expiresAt: number }): void {
  if (!ctx.repos.pow.spend(`recovery:${spent.random}`, dayOf(spent.expiresAt), dayOf(ctx.clock.now()))) {
    throw new HttpError(403, 'recovery_reused', 'this recovery challenge was already used; start again');
  }
}
