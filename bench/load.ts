/**
 * The load part of the benchmark: valid intake bodies made before the clock
 * starts, and autocannon runs with one body per request.
 */
import autocannon, { type Result } from 'autocannon';
import type { ChannelInfo, IntakeRequest, PowChallenge } from '../common/api.ts';
import {
  encryptPayload, generateKeyPair, randomBytes, solvePow, toBase64Url, utf8, wrapKey,
} from '../crypto/index.ts';

async function post<T>(url: string, body: unknown): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    } catch (error) {
      // A kept-alive connection the server closed (after 5 s idle) just as it was taken again: "other side closed".
      if (attempt < 3) continue;
      throw error;
    }
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

/** A report of about 2 KB as the form would send it. */
function reportPlaintext(): Uint8Array {
  return utf8(JSON.stringify({
    v: 1, lang: 'en', category: 'working_hours', what: 'x'.repeat(2048), when: 'last week', where: 'line 3',
    ongoing: 'yes', involved: '', wish: '', contact: '',
  }));
}

/**
 * `count` valid, distinct intake bodies: each its own solved, single-use
 * challenge and its own lookup id and verifier. Reporter keys and
 * ciphertexts come from a small pool (the server does the same work for
 * each: it parses the key and inspects the packets every time).
 */
export async function makeIntakeBodies(url: string, channelSlug: string, count: number, pool = 16): Promise<IntakeRequest[]> {
  const channel = (await (await fetch(`${url}/api/channels/${channelSlug}`)).json()) as ChannelInfo;
  const team = channel.teams[0]!;
  const variants: Pick<IntakeRequest, 'reporterPublicKey' | 'wrappedReporterKey' | 'report'>[] = [];
  for (let i = 0; i < pool; i++) {
    const reporter = await generateKeyPair({ name: 'Ombud reporter', kind: 'reporter' });
    const report = await encryptPayload({ data: reportPlaintext(), recipients: [...team.recipientKeys, reporter.publicKey] });
    variants.push({
      reporterPublicKey: reporter.publicKey,
      wrappedReporterKey: await wrapKey({ key: reporter.privateKey, wrapKey: randomBytes(32), purpose: 'reporter' }),
      report: toBase64Url(report),
    });
  }
  const bodies: IntakeRequest[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { challenge, difficulty } = await post<PowChallenge>(`${url}/api/pow`, {});
      bodies[i] = {
        channel: channel.slug, teamIds: [team.id],
        pow: { challenge, nonce: await solvePow({ challenge, difficulty }) },
        lookupId: toBase64Url(randomBytes(32)), verifier: toBase64Url(randomBytes(32)),
        ...variants[i % pool]!,
      };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return bodies;
}

export interface LoadFigures {
  rps: number;
  p99Ms: number;
  ok: number;
  failed: number;
  durationS: number;
  statusCodes: Record<string, number>;
}

/** Bodies and how many were handed out so far, so that several runs can share single-use bodies. */
export interface BodyQueue {
  length: number;
  body(index: number): string;
  next: number;
}

/** Whether a run without `cycle` can start: autocannon builds requests ahead, a few per connection. */
export const enoughBodies = (q: BodyQueue, connections: number): boolean => q.length - q.next >= 3 * connections;

export const queue = (bodies: readonly string[]): BodyQueue => ({ length: bodies.length, body: (i) => bodies[i]!, next: 0 });

/**
 * POSTs one body per request to `path` for `durationS` seconds or until the
 * queue runs out (`cycle: false`), whichever is first; with `cycle` the
 * bodies are reused round and round. Requests/s counts 2xx answers only.
 */
export function load(opts: {
  url: string;
  path: string;
  queue: BodyQueue;
  connections: number;
  durationS: number;
  cycle: boolean;
  /** At most this many requests (without `cycle`). */
  amount?: number;
  /** Stops early when this settles (e.g. while a backup or purge runs). */
  until?: Promise<unknown>;
  /** A steady rate in requests a second over all connections, instead of as fast as the server answers. */
  rate?: number;
}): Promise<LoadFigures> {
  const q = opts.queue;
  if (q.length === 0) return Promise.reject(new Error(`no bodies to send to ${opts.path}`));
  const left = q.length - q.next;
  if (!opts.cycle && !enoughBodies(q, opts.connections)) return Promise.reject(new Error(`only ${left} bodies left`));
  return new Promise((resolve, reject) => {
    // The run's time is from its start to its last answer, by this clock: autocannon ends a run only at its
    // next one-second tick, so a run that spent its `amount` after 2.1 s reported 3 s, and a server fast
    // enough to finish its share early was reported as slow as its share over whole seconds.
    const started = performance.now();
    let lastAnswer = started;
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        timeout: 30,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        // autocannon builds one request per connection ahead: keep those spare.
        ...(opts.cycle ? { duration: opts.durationS } : { amount: Math.min(opts.amount ?? Infinity, left - 2 * opts.connections) }),
        requests: [{
          method: 'POST',
          path: opts.path,
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: q.body(q.next++ % q.length) }),
        }],
      },
      (error, result: Result) => {
        clearTimeout(timer);
        if (error) return reject(error);
        const seconds = Math.max(lastAnswer - started, 1) / 1000;
        resolve({
          rps: Math.round(result['2xx'] / seconds),
          p99Ms: result.latency.p99,
          ok: result['2xx'],
          failed: result.non2xx + result.errors + result.timeouts,
          durationS: Math.round(seconds * 100) / 100,
          statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
        });
      },
    );
    instance.on('response', () => {
      lastAnswer = performance.now();
    });
    const timer = setTimeout(() => instance.stop(), opts.durationS * 1000);
    opts.until?.then(() => instance.stop(), () => instance.stop());
  });
}

/** Several runs as one: requests/s over their summed time; p99 is the worst run's (percentiles do not add up). */
export function combine(runs: readonly LoadFigures[]): LoadFigures {
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const ok = runs.reduce((sum, r) => sum + r.ok, 0);
  const durationS = runs.reduce((sum, r) => sum + r.durationS, 0);
  return {
    rps: Math.round(ok / durationS),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    ok,
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    durationS: Math.round(durationS * 100) / 100,
    statusCodes,
  };
}
