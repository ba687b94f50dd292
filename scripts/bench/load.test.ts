import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bodiesAsUsed, load, queue } from '../../bench/load.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('the benchmark\'s load runs', () => {
  it('time a run that spends its bodies early by its last answer, not by autocannon\'s next whole second', async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(201).end('{}'));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bodies = queue(Array.from({ length: 100 }, (_, i) => JSON.stringify({ i })));
    const run = await load({ url, path: '/', queue: bodies, connections: 2, durationS: 10, cycle: false, amount: 40 });
    expect(run.ok).toBe(40);
    // Forty answers from a local server take milliseconds; autocannon's own duration said 1 s (its first tick).
    expect(run.durationS).toBeLessThan(0.9);
    expect(run.rps).toBeGreaterThan(40 / 0.9);
  });

  it('send bodies made while the run uses them, each once, past the first ones made and without running out', async () => {
    const seen: string[] = [];
    let enough: () => void = () => undefined;
    const until = new Promise<void>((resolve) => (enough = resolve));
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        seen.push(body);
        if (seen.length === 150) enough();
        response.writeHead(201).end('{}');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let made = 0;
    const bodies = await bodiesAsUsed(async (n) => Array.from({ length: n }, () => JSON.stringify({ i: made++ })), 50);
    expect(bodies.length).toBe(50);
    const run = await load({ url, path: '/', queue: bodies, connections: 2, durationS: 30, cycle: false, until, rate: 200 }).finally(() => bodies.stop());
    // Three times the 50 made before the run: none went out empty (the server would have seen '') or twice.
    expect(seen.length).toBeGreaterThanOrEqual(150);
    expect(run.failed).toBe(0);
    expect(seen).not.toContain('');
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('keep making bodies past a batch that failed, and say at the end why the making stopped for good', async () => {
    let calls = 0;
    const flaky = await bodiesAsUsed(async (n) => {
      calls++;
      if (calls === 2 || calls === 3) throw new Error('other side closed');
      return Array.from({ length: n }, (_, i) => `${calls}.${i}`);
    }, 8);
    // Taking bodies asks for more; the two failed batches are made again.
    for (let taken = 0; taken < 20; taken++) {
      while (flaky.length <= flaky.next + 1) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(flaky.body(flaky.next++)).not.toBe('');
    }
    await expect(flaky.stop()).resolves.toBeUndefined();
    expect(calls).toBeGreaterThan(3);

    let tries = 0;
    const broken = await bodiesAsUsed(async (n) => {
      if (tries++ === 0) return Array.from({ length: n }, (_, i) => String(i));
      throw new Error('the server is gone');
    }, 4);
    broken.next = 4;
    while (tries < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(broken.stop()).rejects.toThrow('the server is gone');
  });
});
