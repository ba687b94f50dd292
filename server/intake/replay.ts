/**
 * A report sent again: the worker's page keeps the token and the prepared
 * ciphertexts across retries (client/lib/report-sender.ts), so when the answer
 * to a report that was stored is lost on the way back, the same request comes
 * again. It is answered with the original receipt, not a second case and not
 * an error (docs/protocol.md, "v2: idempotent sends and resumable uploads").
 *
 *   same lookup id, same verifier, same ciphertexts → the receipt of the case
 *   same lookup id, same verifier, other content    → 409 intake_conflict, nothing changed
 *   same lookup id, other verifier                   → the intake itself (proof of work first), 409 token_collision
 *
 * "Same content" compares a SHA-256 over the ciphertexts the case stores
 * (report, wrapped reporter key, status binding) with the reporter's public
 * key and the channel, in constant time. The proof of work is not part of it:
 * a retry may carry a fresh solution when the first one expired, and a replay
 * needs none (its solution was spent by the report it repeats), because only
 * the holder of the token's verifier can get one.
 *
 * The stored case is looked for only when the intake itself says the report
 * may have been received already: its proof of work is refused (spent by the
 * send it repeats, or expired since), or its lookup id is taken
 * (`token_collision`, which intake checks first in its transaction). A new
 * report — nearly every request — costs no extra read (docs/performance.md).
 *
 * Identical requests that arrive together (a phone that retries while its
 * first request is still on the way) run one after the other per lookup id:
 * the second waits for the first, then finds its case and gets its receipt.
 * The server is one process (better-sqlite3), so an in-memory queue suffices.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IntakeReceipt, IntakeRequest } from '../../common/api.ts';
import type { CaseRecord } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { safeEqual } from '../security/secrets.ts';

const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `receive` unless the same report was already received; see the module comment. */
export async function receiveOnce(
  ctx: AppContext,
  body: IntakeRequest,
  receive: (ctx: AppContext, body: IntakeRequest, lookupHash: string) => Promise<IntakeReceipt>,
): Promise<IntakeReceipt> {
  const lookupHash = ctx.keys.hmacHex('lookup', body.lookupId);
  let running = inFlight.get(ctx.repos);
  if (!running) inFlight.set(ctx.repos, (running = new Map()));
  for (let earlier = running.get(lookupHash); earlier; earlier = running.get(lookupHash)) {
    await earlier.catch(() => undefined);
  }
  // No await from here until the attempt is registered: a request arriving now waits for this one.
  const attempt = receive(ctx, body, lookupHash).catch((error: unknown) => {
    if (mayBeReceived(error)) {
      const replay = replayReceipt(ctx, lookupHash, body);
      if (replay) return replay;
    }
    throw error;
  });
  running.set(lookupHash, attempt);
  try {
    return await attempt;
  } finally {
    if (running.get(lookupHash) === attempt) running.delete(lookupHash);
  }
}

/** Refusals that the same report, received already, gets when sent again: its proof of work, its lookup id. */
const MAY_BE_RECEIVED = new Set<string>(['token_collision', 'pow_reused', 'pow_expired', 'pow_invalid']);

function mayBeReceived(error: unknown): boolean {
  return error instanceof HttpError && MAY_BE_RECEIVED.has(error.code);
}

function replayReceipt(ctx: AppContext, lookupHash: string, body: IntakeRequest): IntakeReceipt | undefined {
  const stored = ctx.repos.cases.findByLookupHash(lookupHash);
  if (!stored) return undefined;
  // Not the same token's secrets: the intake answers, after its proof of work (no free oracle).
  if (!safeEqual(stored.verifierHash, ctx.keys.hmacHex('verifier', body.verifier))) return undefined;
  const sent = requestDigest(body);
  if (!sent || !timingSafeEqual(sent, storedDigest(stored))) {
    throw new HttpError(409, 'intake_conflict', 'a different report was already sent with this case token; nothing was changed');
  }
  return { receivedDay: stored.receivedDay, acknowledgeByDay: stored.acknowledgeByDay };
}

function digest(parts: { channel: string; reporterPublicKey: string; wrappedReporterKey: string; statusBinding: string; report: Uint8Array }): Buffer {
  const hash = createHash('sha256').update('ombud-intake-v1');
  const field = (bytes: Uint8Array) => {
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.byteLength));
    hash.update(length).update(bytes);
  };
  for (const text of [parts.channel, parts.reporterPublicKey, parts.wrappedReporterKey, parts.statusBinding]) field(Buffer.from(text, 'utf8'));
  field(parts.report);
  return hash.digest();
}

function storedDigest(stored: CaseRecord): Buffer {
  return digest({
    channel: stored.channelSlug,
    reporterPublicKey: stored.reporterPublicKey,
    wrappedReporterKey: stored.wrappedReporterKey,
    statusBinding: stored.statusBinding ?? '',
    report: stored.report,
  });
}

function requestDigest(body: IntakeRequest): Buffer | undefined {
  let report: Buffer;
  try {
    report = Buffer.from(body.report, 'base64url');
  } catch {
    return undefined;
  }
  return digest({
    channel: body.channel,
    reporterPublicKey: body.reporterPublicKey,
    wrappedReporterKey: body.wrappedReporterKey,
    statusBinding: body.statusBinding ?? '',
    report,
  });
}
