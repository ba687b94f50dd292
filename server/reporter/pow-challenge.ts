/**
 * Proof-of-work challenges, issued and checked by the server; solved in the
 * browser (crypto's solvePow).
 *
 *   challenge = "v1." + expiresAtMs + "." + random(16 B, b64url) + "." + mac
 *   mac       = HMAC-SHA256(server secret, "pow:" + everything before it), b64url
 *
 * Nothing is stored when a challenge is issued. When one is spent, its random
 * part is recorded (db used_pow, with a day, not the time) so that it buys
 * exactly one report. Checks run cheapest first and before anything else in
 * intake does real work.
 */
import { verifyPow } from '../../crypto/index.ts';
import type { PowChallenge } from '../../common/api.ts';
import { dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { randomBase64Url, safeEqual } from '../security/secrets.ts';

/** How long a challenge stays valid. The form fetches one when the worker sends, so ten minutes suffice on a slow phone. */
export const POW_TTL_MS = 10 * 60_000;

const FORMAT = /^v1\.(\d{13})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function issueChallenge(ctx: Pick<AppContext, 'keys' | 'clock' | 'config'>): PowChallenge {
  const signed = `v1.${ctx.clock.now() + POW_TTL_MS}.${randomBase64Url(16)}`;
  return {
    challenge: `${signed}.${ctx.keys.hmacBase64Url('pow', signed)}`,
    difficulty: ctx.config.powDifficulty,
  };
}

/** Throws 403 `pow_invalid` / `pow_expired` / `pow_reused`; on success the challenge is spent. */
export async function spendSolution(
  ctx: Pick<AppContext, 'keys' | 'clock' | 'config' | 'repos'>,
  solution: { challenge: string; nonce: string },
): Promise<void> {
  const match = FORMAT.exec(solution.challenge);
  const invalid = () => new HttpError(403, 'pow_invalid', 'the proof of work is not valid; fetch a new challenge');
  if (!match) throw invalid();
  const [, expiresAt, random] = match as unknown as [string, string, string, string];
  const signed = solution.challenge.slice(0, solution.challenge.lastIndexOf('.'));
  const mac = solution.challenge.slice(signed.length + 1);
  if (!safeEqual(mac, ctx.keys.hmacBase64Url('pow', signed))) throw invalid();
  const now = ctx.clock.now();
  if (Number(expiresAt) <= now) {
    throw new HttpError(403, 'pow_expired', 'the proof-of-work challenge has expired; fetch a new one');
  }
  const solved = await verifyPow({
    challenge: solution.challenge,
    nonce: solution.nonce,
    difficulty: ctx.config.powDifficulty,
  });
  if (!solved) throw invalid();
  if (!ctx.repos.pow.spend(random, dayOf(Number(expiresAt)), dayOf(now))) {
    throw new HttpError(403, 'pow_reused', 'this proof of work was already used; fetch a new challenge');
  }
}
