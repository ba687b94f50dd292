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

/**
 * How long a challenge stays valid. The form fetches one when the worker starts writing (client/lib/groundwork.ts)
 * and offers it only while younger than eight minutes by the phone's clock; an older or refused one is solved again.
 */
export const POW_TTL_MS = 10 * 60_000;

const FORMAT = /^v1\.(\d{13})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function issueChallenge(ctx: Pick<AppContext, 'keys' | 'clock' | 'config'>): PowChallenge {
  const signed = `v1.${ctx.clock.now() + POW_TTL_MS}.${randomBase64Url(16)}`;
  return {
    challenge: `${signed}.${ctx.keys.hmacBase64Url('pow', signed)}`,
    difficulty: ctx.config.powDifficulty,
  };
}

const reused = () => new HttpError(403, 'pow_reused', 'this proof of work was already used; fetch a new challenge');

/** A checked solution: what spending it records. */
interface Checked { challengeId: string; expiresDay: string; today: string }

/** Throws 403 `pow_invalid` / `pow_expired`; spends nothing. */
async function checkSolution(
  ctx: Pick<AppContext, 'keys' | 'clock' | 'config'>,
  solution: { challenge: string; nonce: string },
): Promise<Checked> {
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
  return { challengeId: random, expiresDay: dayOf(Number(expiresAt)), today: dayOf(now) };
}

/** Throws 403 `pow_invalid` / `pow_expired` / `pow_reused`; on success the challenge is spent (its own commit). */
export async function spendSolution(
  ctx: Pick<AppContext, 'keys' | 'clock' | 'config' | 'repos'>,
  solution: { challenge: string; nonce: string },
): Promise<void> {
  const c = await checkSolution(ctx, solution);
  if (!ctx.repos.pow.spend(c.challengeId, c.expiresDay, c.today)) throw reused();
}

/** Challenges being spent by a request still at work, per app (one process: see docs/scaling.md). */
const inFlight = new WeakMap<object, Set<string>>();

/**
 * Spending a solution in the caller's own transaction, so that a report costs
 * one commit, not two. The same checks as spendSolution: a challenge being
 * spent by a request still at work is refused `pow_reused` at once, from
 * memory. `work` receives `spend`, to call first in the transaction that
 * stores what the solution buys, before it reads or checks anything else:
 * it records the challenge there, and throws `pow_reused` if the challenge
 * was spent already (by an earlier commit), which rolls that transaction
 * back — the database is asked once, not once to look and once to write. If
 * `work` throws — the report was refused — the challenge is spent anyway, in
 * a commit of its own: one solution buys one attempt, refused or not.
 */
export async function withSolution<T>(
  ctx: Pick<AppContext, 'keys' | 'clock' | 'config' | 'repos'>,
  solution: { challenge: string; nonce: string },
  work: (spend: () => void) => Promise<T>,
): Promise<T> {
  const c = await checkSolution(ctx, solution);
  let held = inFlight.get(ctx.repos);
  if (!held) inFlight.set(ctx.repos, (held = new Set()));
  if (held.has(c.challengeId)) throw reused();
  held.add(c.challengeId);
  try {
    return await work(() => {
      if (!ctx.repos.pow.spend(c.challengeId, c.expiresDay, c.today)) throw reused();
    });
  } catch (error) {
    ctx.repos.pow.spend(c.challengeId, c.expiresDay, c.today); // a no-op if the transaction committed it
    throw error;
  } finally {
    held.delete(c.challengeId);
  }
}
