import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { load, queue } from '../../bench/load.ts';

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
});
