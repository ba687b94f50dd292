import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.ts';
import { readBody } from './read-body.ts';

/** A request body the test feeds by hand. */
function body(headers: Record<string, string> = {}): PassThrough & Request {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & Request;
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('readBody', () => {
  it('reads a body that keeps arriving, however slowly, within the limit', async () => {
    const req = body();
    const read = readBody(req, 10, { idleMs: 200 });
    for (const part of ['abc', 'def', 'gh']) {
      req.write(part);
      await new Promise((resolve) => setTimeout(resolve, 120)); // each gap shorter than the idle time, all together longer
    }
    req.end();
    expect(new TextDecoder().decode(await read)).toBe('abcdefgh');
  });

  it('gives up an upload that stops arriving, and lets go of the connection', async () => {
    const req = body();
    const read = readBody(req, 1000, { idleMs: 100 });
    req.write('half a file');
    const error = await refusal(read);
    expect([error.status, error.code]).toEqual([408, 'upload_stalled']);
    expect(req.destroyed).toBe(true);
  });

  it('gives up a connection on which nothing arrives at all', async () => {
    const error = await refusal(readBody(body(), 1000, { idleMs: 50 }));
    expect(error.code).toBe('upload_stalled');
  });

  it('refuses a declared or an actual size over the limit', async () => {
    expect((await refusal(readBody(body({ 'content-length': '11' }), 10))).code).toBe('body_too_large');
    const req = body();
    const read = readBody(req, 10, { idleMs: 1000 });
    req.write('0123456789A');
    expect((await refusal(read)).code).toBe('body_too_large');
  });

  it('tells an interrupted upload from a stalled one', async () => {
    const req = body();
    const read = readBody(req, 1000, { idleMs: 1000 });
    req.write('part');
    req.destroy(new Error('connection reset'));
    const error = await refusal(read);
    expect([error.status, error.code]).toEqual([400, 'invalid_request']);
  });

  it('gives up a body that keeps trickling below the minimum rate, though it never goes silent', async () => {
    const req = body();
    const read = readBody(req, 1000, { idleMs: 1000, minBytesPerSecond: 100, graceMs: 200 });
    const drip = setInterval(() => req.write('x'), 30); // ~33 bytes a second, a byte well within every idle window
    const error = await refusal(read).finally(() => clearInterval(drip));
    expect([error.status, error.code]).toEqual([408, 'upload_too_slow']);
    expect(error.headers).toEqual({ Connection: 'close' }); // answered, then the connection goes
  });

  it('lets a body that keeps the rate through, however long it takes', async () => {
    const req = body();
    const read = readBody(req, 10_000, { idleMs: 1000, minBytesPerSecond: 100, graceMs: 100 });
    const drip = setInterval(() => req.write('x'.repeat(20)), 50); // 400 bytes a second
    await new Promise((resolve) => setTimeout(resolve, 600));
    clearInterval(drip);
    req.end();
    expect((await read).length).toBeGreaterThan(100);
  });
});
