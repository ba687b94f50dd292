/**
 * Proof-of-work challenges, issued and checked by the server; solved in the
 * browser (crypto's solvePow).
 *
 *   challenge = "v1." + expiresAtMs + "." + random(16 B, b64url) + "." + mac
 *   mac       = HMAC-SHA256(server secret, "pow:" + everything before it), b64url
 *
 * Nothing is stored when a challenge is issued. When one is spent, it is
 * recorded so that it buys exactly one report or one upload ticket: a report
 * stores its case under an id made from the challenge (`caseIdOfChallenge`),
 * and the case's unique id is the record; anything else, and a refused
 * report, records its random part in db used_pow, with a day, not the time.
 * Checks run cheapest first and before anything else in intake does real work.
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

/**
 * The id of the case a report bought with this challenge: the keyed hash of the challenge's random part,
 * 16 bytes, of randomId's form. Only the server can make it, and it says no more than a random id: the
 * challenge's random part is in no row, and its time is not in the hash. The case's unique id is then
 * the record that the challenge was spent, and a report writes no used_pow row: one page less in each
 * report's commit (docs/performance.md, "Fifteenth run").
 */
export function caseIdOfChallenge(keys: AppContext['keys'], challengeId: string): string {
  return keys.hmacId('case-id', challengeId);
}

/** Throws 403 `pow_invalid` / `pow_expired` / `pow_reused`; on success the challenge is spent (its own commit). */
export async function spendSolution(
  ctx: Pick<AppContext, 'keys' | 'clock' | 'config' | 'repos'>,
  solution: { challenge: string; nonce: string },
): Promise<void> {
  const c = await checkSolution(ctx, solution);
  // No await between the look and the record: nothing else runs between them (one thread).
  if (ctx.repos.cases.idTaken(caseIdOfChallenge(ctx.keys, c.challengeId))) throw reused();
  if (!ctx.repos.pow.spend(c.challengeId, c.expiresDay, c.today)) throw reused();
}

/** Challenges being spent by a request still at work, per app (one process: see docs/scaling.md). */
const inFlight = new WeakMap<object, Set<string>>();

/**
 * Spending a solution on a report, in the transaction that stores its case: one transaction per report, and
 * no row of its own. The same checks as spendSolution: a challenge being spent by a request still at work
 * is refused `pow_reused` at once, from memory. `work` receives `spend`, to call first in its transaction,
 * before it reads or checks anything else: it throws `pow_reused` if the challenge was spent already (a
 * case with its id, or a used_pow row), and otherwise returns the id the case must be stored under
 * (`caseIdOfChallenge`) — storing it is what spends the challenge, so a transaction that stores no case
 * under that id has spent nothing. If `work` throws — the report was refused — the challenge is recorded
 * in used_pow, in a commit of its own: one solution buys one attempt, refused or not.
 */
export async function withReportSolution<T>(
  ctx: Pick<AppContext, 'keys' | 'clock' | 'config' | 'repos'>,
  solution: { challenge: string; nonce: string },
  work: (spend: () => string) => Promise<T>,
): Promise<T> {
  const c = await checkSolution(ctx, solution);
  let held = inFlight.get(ctx.repos);
  if (!held) inFlight.set(ctx.repos, (held = new Set()));
  if (held.has(c.challengeId)) throw reused();
  held.add(c.challengeId);
  try {
    return await work(() => {
      // Spent by anything else (a used_pow row) or by a report (a case with its id). Reads only.
      const caseId = caseIdOfChallenge(ctx.keys, c.challengeId);
      if (ctx.repos.pow.recorded(c.challengeId) || ctx.repos.cases.idTaken(caseId)) throw reused();
      return caseId;
    });
  } catch (error) {
    ctx.repos.pow.spend(c.challengeId, c.expiresDay, c.today); // a no-op if it was recorded already
    throw error;
  } finally {
    held.delete(c.challengeId);
  }
}
