import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { inSequence } from './in-sequence.ts';

const req = {} as Request;
const res = {} as Response;

/** Runs the sequence and resolves with what it passed to the router's `next` (once), or rejects if it called it twice. */
function run(handler: RequestHandler): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    let calls = 0;
    const next = ((...args: unknown[]) => {
      calls += 1;
      if (calls > 1) reject(new Error('next called twice'));
      // A second call would come after this one: wait a moment before answering.
      setTimeout(() => resolve(args), 5);
    }) as NextFunction;
    handler(req, res, next);
  });
}

describe('inSequence', () => {
  it('runs the handlers in order, each after the one before calls next, then hands on', async () => {
    const seen: string[] = [];
    const sequence = inSequence(
      (_q, _s, next) => { seen.push('a'); next(); },
      (_q, _s, next) => { seen.push('b'); setTimeout(() => next(), 1); }, // as the body parser does, later
      (_q, _s, next) => { seen.push('c'); next(); },
    );
    expect(await run(sequence)).toEqual([]);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('stops at a thrown error and passes it on; the handlers after it do not run', async () => {
    const boom = new Error('refused');
    const seen: string[] = [];
    const sequence = inSequence(
      (_q, _s, next) => { seen.push('a'); next(); },
      () => { throw boom; },
      (_q, _s, next) => { seen.push('c'); next(); },
    );
    expect(await run(sequence)).toEqual([boom]);
    expect(seen).toEqual(['a']);
  });

  it('stops at an error passed to next, now or later', async () => {
    const boom = new Error('too large');
    const seen: string[] = [];
    const later = inSequence(
      (_q, _s, next) => { setTimeout(() => next(boom), 1); },
      (_q, _s, next) => { seen.push('after'); next(); },
    );
    expect(await run(later)).toEqual([boom]);
    expect(seen).toEqual([]);
  });

  it('passes on a rejected promise, as Express 5 does for its own layers', async () => {
    const boom = new Error('async refusal');
    const sequence = inSequence(async () => { throw boom; }, (_q, _s, next) => next());
    expect(await run(sequence)).toEqual([boom]);
  });

  it("goes on to the next handler on next('route'), as the router does between middleware layers", async () => {
    const seen: string[] = [];
    const sequence = inSequence((_q, _s, next) => next('route'), (_q, _s, next) => { seen.push('b'); next(); });
    expect(await run(sequence)).toEqual([]);
    expect(seen).toEqual(['b']);
  });

  it('passes on a promise rejected with a falsy value as an error, not as a go-ahead', async () => {
    const sequence = inSequence(() => Promise.reject(false), (_q, _s, next) => next());
    const [error] = await run(sequence);
    expect(error).toBeInstanceOf(Error);
  });

  it('with no handler, hands on at once', async () => {
    expect(await run(inSequence())).toEqual([]);
  });
});
