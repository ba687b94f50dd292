/**
 * Reads a raw request body with a hard limit: a declared Content-Length over
 * the limit is refused before a byte is read, and a body that grows past it
 * (chunked) is cut off at the limit — nothing beyond it is ever buffered.
 *
 * A body that stops arriving (a phone that lost its network mid-upload, or a
 * sender that stalls on purpose) is given up after `idleMs` without a byte:
 * only a few upload bodies are read at once (./stage.ts), and a dead
 * connection must not hold one of them until Node's five-minute request
 * timeout while other workers wait. The worker's browser sends the file
 * again (client/report/upload.ts retries).
 *
 * Silence is not the only way to hold a slot: a byte every 5 seconds never
 * goes silent for 30. So a body must also arrive at an average of at least
 * `minBytesPerSecond` once `graceMs` have passed (408 `upload_too_slow`):
 * three connections trickling a byte every 5 s held all three read slots,
 * and a worker's 2 kB upload got no answer in 15 s.
 */
import type { Request } from 'express';
import { HttpError } from '../errors.ts';

/** Silence after which an upload is given up (a slow network still sends something every few seconds). */
export const UPLOAD_IDLE_MS = 30_000;
/**
 * The slowest average an upload may keep, and from when it counts: 1 KiB/s is
 * ten times below a poor 2G link (~10 KiB/s), so no real phone is cut, while a
 * connection that holds a slot with a byte now and then loses it in 20 s.
 */
export const UPLOAD_MIN_BYTES_PER_SECOND = 1024;
export const UPLOAD_RATE_GRACE_MS = 20_000;

export interface ReadBodyOptions {
  idleMs?: number;
  minBytesPerSecond?: number;
  graceMs?: number;
}

export async function readBody(req: Request, limit: number, opts: ReadBodyOptions = {}): Promise<Uint8Array> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw tooLarge(limit);
  }
  if (req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity') {
    throw new HttpError(415, 'unsupported_media_type', 'send the upload without content encoding');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const idleMs = opts.idleMs ?? UPLOAD_IDLE_MS;
  const minRate = opts.minBytesPerSecond ?? UPLOAD_MIN_BYTES_PER_SECOND;
  const graceMs = opts.graceMs ?? UPLOAD_RATE_GRACE_MS;
  const started = performance.now();
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      req.destroy();
    }, idleMs);
  };
  try {
    watch();
    for await (const chunk of req as AsyncIterable<Buffer>) {
      watch();
      total += chunk.length;
      if (total > limit) {
        req.pause();
        throw tooLarge(limit);
      }
      chunks.push(chunk);
      // Checked as each piece arrives (silence is the idle timer's): answered, then the connection closes.
      const elapsed = performance.now() - started;
      if (elapsed >= graceMs && total < (minRate * elapsed) / 1000) {
        req.pause();
        throw new HttpError(408, 'upload_too_slow', `the upload arrived slower than ${minRate} bytes a second; send the file again`, {
          Connection: 'close',
        });
      }
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (stalled) throw new HttpError(408, 'upload_stalled', `nothing arrived for ${Math.round(idleMs / 1000)} seconds; send the file again`);
    throw new HttpError(400, 'invalid_request', 'the upload was interrupted');
  } finally {
    clearTimeout(timer);
  }
  const body = Buffer.concat(chunks, total);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `an upload may hold at most ${limit} bytes`, { Connection: 'close' });
}
