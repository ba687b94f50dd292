/**
 * Sending again while the network is away. A send whose answer did not come
 * (no connection, or a gateway that gave up) is tried again a few times, with
 * growing pauses and not before the phone says it is online again. This is
 * safe only because every send retried here is the same request each time:
 * the server answers a repeated report or follow-up with what it stored the
 * first time (docs/protocol.md, "v2: idempotent sends and resumable uploads").
 */
import { ApiError } from './api.ts';

/**
 * A send retried here is given up as lost when no answer has begun this long after it went (plus time
 * for its body: ./api.ts `answerWithinMs`), and then sent again like one whose connection broke.
 */
export const ANSWER_WITHIN_MS = 30_000;

/** Pauses before each further try; after the last, the failure is shown and the worker can press send again. */
export const RESEND_PAUSES_MS = [1_000, 2_000, 4_000, 8_000] as const;

/** No answer came: the request may or may not have arrived. */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504);
}

/** Resolves after `ms`, and not before the browser believes it is online (at most 30 s more). */
export function pauseForNetwork(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => {
      if (typeof navigator === 'undefined' || navigator.onLine !== false) return resolve();
      const done = () => {
        removeEventListener('online', done);
        clearTimeout(cap);
        resolve();
      };
      const cap = setTimeout(done, 30_000);
      addEventListener('online', done);
    }, ms);
  });
}

/** Runs `send` until it is answered; `onWaiting` is called before each pause ("waiting for the network…"). */
export async function untilAnswered<T>(send: () => Promise<T>, onWaiting: () => void = () => undefined, pauses: readonly number[] = RESEND_PAUSES_MS): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (!isTransient(error) || attempt >= pauses.length) throw error;
      onWaiting();
      await pauseForNetwork(pauses[attempt]!);
    }
  }
}
