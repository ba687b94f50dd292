/**
 * The part of sending a report that does not depend on what it says, done
 * while the worker writes: the crypto code, the case token, its secrets
 * (Argon2id, seconds on a cheap phone), the reporter key pair and a solved
 * proof of work. On a slow phone these took most of the wait after "send"
 * (docs/performance.md, "sixth run"); with them ready, sending is the channel
 * check, the encryption and the intake request.
 *
 * Nothing here depends on the report, the teams chosen or the language: what
 * does (the pins check, the binding's names, the recipients, the ciphertext)
 * is still made on send, by ./report-sender.ts. The secrets stay in this
 * module's memory until a report takes them (which wipes them after use) or
 * the groundwork is dropped (wiped here).
 *
 * The one request made before send is POST /api/pow, which carries nothing:
 * the server already knows someone opened the form (it served the page and
 * the channel), and a challenge says no more than that. A worker who never
 * sends leaves behind one unspent challenge, which expires by itself.
 */
import type { IntakeRequest, PowChallenge } from '../../common/api.ts';
import { postJson } from './api.ts';
import { loadCrypto, type CryptoModule } from './crypto.ts';
import { untilAnswered } from './resend.ts';

export type ReporterKeyPair = Awaited<ReturnType<CryptoModule['generateKeyPair']>>;
export type TokenSecrets = Awaited<ReturnType<CryptoModule['deriveTokenSecrets']>>;
/** The steps that may be done ahead (a subset of ./report-sender.ts STEPS). */
export type GroundStep = 'token' | 'derive' | 'keys' | 'pow';

/**
 * A challenge lives ten minutes (server/reporter/pow-challenge.ts POW_TTL_MS). One older than this,
 * by the phone's own clock, is not offered at all: a new one is solved on send rather than risking a
 * refusal and a second round trip. One refused anyway (a wrong clock, a server that lies) is solved
 * again by report-sender's retry.
 */
export const POW_FRESH_MS = 8 * 60_000;

export interface Solved {
  pow: IntakeRequest['pow'];
  /** When its challenge was fetched, by this phone's clock. */
  fetchedAt: number;
}

export interface Ground {
  token: string;
  secrets: TokenSecrets;
  reporter: ReporterKeyPair;
  solved: Solved;
}

type Watcher = (step: GroundStep, fraction?: number) => void;

/** Groundwork under way or ready: the step it is at, and who is watching (a send waiting for it). */
interface Work { ready: Promise<Ground>; done?: boolean; step: GroundStep; fraction?: number; watcher?: Watcher }

let current: Work | undefined;

/** Fetches a challenge and solves it; `onStep('pow', fraction)` as it goes. */
export async function solvePow(crypto: CryptoModule, onStep: (step: 'pow', fraction?: number) => void): Promise<Solved> {
  onStep('pow', 0);
  const fetchedAt = Date.now();
  const challenge = await untilAnswered(() => postJson<PowChallenge>('/api/pow', {}));
  const expectedTries = 2 ** challenge.difficulty;
  const nonce = await crypto.solvePow({ ...challenge, onProgress: (tries) => onStep('pow', Math.min(0.99, tries / expectedTries)) });
  return { pow: { challenge: challenge.challenge, nonce }, fetchedAt };
}

export function isFresh(solved: Solved | undefined): solved is Solved {
  return solved !== undefined && Date.now() - solved.fetchedAt < POW_FRESH_MS;
}

/**
 * Starts the groundwork if none is under way or ready (e.g. when the worker starts writing).
 * Resolves true once it is ready, false if it failed (then sending makes it again); never rejects.
 */
export function startGroundwork(reporter: () => Promise<ReporterKeyPair>): Promise<boolean> {
  if (current) return current.ready.then(() => true, () => false);
  // `ready` is set just below: the run reports its steps to this record.
  const work = { step: 'token' } as Work;
  const onStep = (step: GroundStep, fraction?: number) => {
    work.step = step;
    work.fraction = fraction;
    work.watcher?.(step, fraction);
  };
  work.ready = (async () => {
    const crypto = await loadCrypto();
    onStep('token');
    const token = crypto.generateToken();
    onStep('derive');
    const secrets = await crypto.deriveTokenSecrets(token);
    try {
      onStep('keys');
      const pair = await reporter();
      const ground = { token, secrets, reporter: pair, solved: await solvePow(crypto, onStep) };
      work.done = true;
      return ground;
    } catch (error) {
      wipe(secrets);
      throw error;
    }
  })();
  // A failure (no network for the challenge, say) drops it: sending starts it again and then shows the error.
  current = work;
  return work.ready.then(() => true, () => {
    if (current === work) current = undefined;
    return false;
  });
}

/**
 * For the report being sent: the groundwork, started now if it was not, and
 * taken (the next report gets its own token). `onStep` hears the step it is
 * at and the ones after it, so the progress shows only work still being done.
 */
export async function takeGroundwork(reporter: () => Promise<ReporterKeyPair>, onStep: Watcher): Promise<Ground> {
  startGroundwork(reporter);
  const work = current!;
  work.watcher = onStep;
  if (!work.done) onStep(work.step, work.fraction);
  try {
    return await work.ready;
  } finally {
    work.watcher = undefined;
    if (current === work) current = undefined;
  }
}

/** Drops groundwork not yet taken (the page was cleared or left), wiping its secrets. */
export function dropGroundwork(): void {
  const work = current;
  current = undefined;
  void work?.ready.then((ground) => wipe(ground.secrets), () => undefined);
}

export function wipe(secrets: TokenSecrets): void {
  secrets.wrapKey.fill(0);
  secrets.bindingKey.fill(0);
}
