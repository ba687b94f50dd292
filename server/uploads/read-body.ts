/**
 * Reads a raw request body with a hard limit: a declared Content-Length over
 * the limit is refused before a byte is read, and a body that grows past it
 * (chunked) is cut off at the limit — nothing beyond it is ever buffered.
 */
import type { Request } from 'express';
import { HttpError } from '../errors.ts';

export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw tooLarge(limit);
  }
  if (req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity') {
    throw new HttpError(415, 'unsupported_media_type', 'send the upload without content encoding');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        req.pause();
        throw tooLarge(limit);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'invalid_request', 'the upload was interrupted');
  }
  const body = Buffer.concat(chunks, total);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `an upload may hold at most ${limit} bytes`, { Connection: 'close' });
}
