/**
 * Every operation of the OpenAPI document, fuzzed against the real server
 * process with fast-check (seeded: a failure prints the seed and the path to
 * replay it): malformed JSON, wrong types, huge strings, deeply nested
 * bodies, wrong content types, huge headers. Every answer must be a 4xx (or,
 * for a body that happens to be valid, a success), never a 5xx; the process
 * stays alive; a refused request writes nothing; the process stays under
 * RSS_BOUND_MIB.
 */
import fc from 'fast-check';
import type { Express } from 'express';
import { LIMITS } from '../../common/limits.ts';
import { fetchSolvedPow } from '../../server/testing/reporter.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftAt, send, signIn, openApi, type Answer, type Signed } from './support/client.ts';
import { auditActions, integrityCheck, rowCounts } from './support/db-scan.ts';
import { fill, operations, type Operation } from './support/openapi.ts';
import { arbitraryFor, type JsonSchema } from './support/schema-arbitrary.ts';
import { removeSeed, RSS_BOUND_MIB, seedDataDir, startProcess, type Seed, type ServerProcess } from './support/seeded-server.ts';

const SEED = 20_261_201;
const RUNS_PER_OPERATION = 24;
const SHAPED_RUNS_PER_OPERATION = 12;

/** Refusals that are written on purpose: failed sign-ins are audited (threat model row 13). */
const AUDITED_REFUSALS = new Set(['auth.login_failed', 'auth.second_factor_failed']);

let seed: Seed;
let server: ServerProcess;
let admin: Signed;
let ops: Operation[];
let maxRss = 0;

beforeAll(async () => {
  seed = await seedDataDir();
  server = await startProcess(seed.dataDir);
  admin = await signIn(server.url, seed.teamA.admin);
  ops = operations(await openApi(server.url)).filter((op) => op.path !== '/api/auth/logout');
  // A real case, so that shaped bodies reach the handlers behind the id checks.
  const draft = await draftAt(server.url, { channel: 'factory-a' });
  expect((await send(`${server.url}/api/intake`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(draft.body) })).status).toBe(201);
  realIds.id = ((await admin.get('/api/cases')).json() as { cases: { id: string }[] }).cases[0]!.id;
  realIds.memberId = seed.teamA.member.id;
  realIds.investigatorId = seed.teamA.member.id;
});
afterAll(async () => {
  await server?.stop();
  removeSeed(seed);
});

interface Hostile {
  kind: string;
  contentType: string;
  body: string | Uint8Array | undefined;
  headers?: Record<string, string>;
  /** Certainly invalid: must be refused with a 4xx (by routes that read a body, or by any POST if `transport`). */
  mustRefuse: boolean;
  /** Refused before any route looks at it (parser, size, type, headers). */
  transport?: boolean;
}

const deep = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => ({ kind: 'malformed JSON', contentType: 'application/json', body: `{"${s},`, mustRefuse: true, transport: true })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'any JSON', contentType: 'application/json', body: JSON.stringify(v), mustRefuse: false })),
  fc.dictionary(
    fc.constantFrom('lookupId', 'verifier', 'body', 'report', 'teamIds', 'pow', 'username', 'stage', 'version', 'labels', 'token', 'channel', 'attachments', '__proto__', 'constructor'),
    fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 30 }), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 2 })),
  ).map((o) => ({ kind: 'wrong types', contentType: 'application/json', body: JSON.stringify(o), mustRefuse: false })),
  fc.integer({ min: 1_100_000, max: 3_000_000 }).map((n) => ({ kind: 'huge string', contentType: 'application/json', body: `{"body":"${'A'.repeat(n)}"}`, mustRefuse: true, transport: true })),
  fc.integer({ min: 1_000, max: 200_000 }).map((d) => ({ kind: 'deep nesting', contentType: 'application/json', body: deep(d), mustRefuse: true })),
  fc.integer({ min: 1_000, max: 100_000 }).map((d) => ({ kind: 'deep nesting in a field', contentType: 'application/json', body: `{"body":${deep(d)},"lookupId":${deep(d)}}`, mustRefuse: true })),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', '')
    .map((type) => ({ kind: 'wrong content type', contentType: type, body: 'lookupId=a&verifier=b', mustRefuse: true, transport: true })),
  fc.constant({ kind: 'gzip body', contentType: 'application/json', body: new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]), headers: { 'Content-Encoding': 'gzip' }, mustRefuse: true, transport: true }),
  fc.integer({ min: 20_000, max: 80_000 }).map((n) => ({ kind: 'huge header', contentType: 'application/json', body: '{}', headers: { 'X-Filler': 'h'.repeat(n) }, mustRefuse: true, transport: true })),
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => ({ kind: 'random bytes', contentType: 'application/octet-stream', body: bytes, mustRefuse: false })),
);

const ANY_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const realIds: Record<string, string> = { slug: 'factory-a' };
const pathOf = (op: Operation, real = false) =>
  fill(op.path, new Proxy({ slug: 'factory-a', ...(real ? realIds : {}) } as Record<string, string>, { get: (t, k: string) => t[k] ?? ANY_ID }));

async function fire(op: Operation, h: Hostile, signedIn: boolean, real = false): Promise<Answer | 'refused by the socket'> {
  const headers: Record<string, string> = { ...(h.contentType ? { 'Content-Type': h.contentType } : {}), ...h.headers };
  if (signedIn) Object.assign(headers, { Cookie: `ombud_session=${admin.cookie}`, 'X-Ombud-CSRF': admin.csrf });
  try {
    return await send(`${server.url}${pathOf(op, real)}`, { method: op.method, headers, body: op.method === 'GET' ? undefined : h.body });
  } catch (error) {
    // A server may close the connection on a header or a body it will not read (after its 431 or 413, usually).
    if (h.kind === 'huge header' || h.kind === 'huge string') return 'refused by the socket';
    throw error;
  }
}

/** fast-check's report quotes the whole counterexample (megabytes here): keep the head, the seed and the path. */
async function trimmed(run: Promise<void>): Promise<void> {
  try {
    await run;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    throw new Error(`${message.slice(0, 600)}…\n${cause.slice(0, 1500)}`);
  }
}

describe('every operation under hostile input', () => {
  it('answers 4xx (never 5xx), stays alive, writes nothing when it refuses, and stays under the memory bound', async () => {
    expect(ops.length).toBeGreaterThan(40);
    for (const op of ops) {
      await trimmed(fc.assert(
        fc.asyncProperty(hostile, fc.boolean(), async (h, signedIn) => {
          const before = rowCounts(seed.dataDir);
          const audited = auditActions(seed.dataDir).length;
          const out = await fire(op, h, signedIn && op.investigator);
          const what = `${op.method} ${op.path} (${h.kind}, ${signedIn ? 'signed in' : 'signed out'})`;
          expect(server.alive(), `${what}: the server died\n${server.output()}`).toBe(true);
          if (out === 'refused by the socket') return;
          expect(out.status, `${what} → ${out.text.slice(0, 200)}`).toBeLessThan(500);
          const refusable = h.kind === 'huge header' || (op.method !== 'GET' && (h.transport || op.body === 'json'));
          if (h.mustRefuse && refusable) expect(out.status, what).toBeGreaterThanOrEqual(400);
          if (out.status >= 400) {
            const after = rowCounts(seed.dataDir);
            const newActions = auditActions(seed.dataDir).slice(audited);
            expect(newActions.filter((a) => !AUDITED_REFUSALS.has(a)), what).toEqual([]);
            expect({ ...after, audit_events: 0 }, `${what} wrote rows`).toEqual({ ...before, audit_events: 0 });
          }
          maxRss = Math.max(maxRss, server.rssMiB());
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      ));
    }
    expect(maxRss).toBeGreaterThan(10); // the reading works
    expect(maxRss).toBeLessThan(RSS_BOUND_MIB);
  });

  it('answers bodies shaped like each route\'s schema (junk that looks right) with a 4xx or a success, never a 5xx', async () => {
    for (const op of ops.filter((o) => o.body === 'json' && o.schema)) {
      await trimmed(fc.assert(
        fc.asyncProperty(arbitraryFor(op.schema as JsonSchema), async (body) => {
          const before = rowCounts(seed.dataDir);
          const audited = auditActions(seed.dataDir).length;
          const out = await fire(op, { kind: 'shaped', contentType: 'application/json', body: JSON.stringify(body), mustRefuse: false }, op.investigator, true);
          const what = `${op.method} ${op.path} (shaped ${JSON.stringify(body).slice(0, 300)})`;
          expect(server.alive(), `${what}: the server died\n${server.output()}`).toBe(true);
          if (out === 'refused by the socket') return;
          expect(out.status, `${what} → ${out.text.slice(0, 200)}`).toBeLessThan(500);
          if (out.status >= 400) {
            expect(auditActions(seed.dataDir).slice(audited).filter((a) => !AUDITED_REFUSALS.has(a)), what).toEqual([]);
            expect({ ...rowCounts(seed.dataDir), audit_events: 0 }, `${what} wrote rows`).toEqual({ ...before, audit_events: 0 });
          }
          maxRss = Math.max(maxRss, server.rssMiB());
        }),
        { seed: SEED + 1, numRuns: SHAPED_RUNS_PER_OPERATION, endOnFailure: true },
      ));
    }
    expect(maxRss).toBeLessThan(RSS_BOUND_MIB);
  });

  it('answers hostile query strings on every GET with a 4xx or a success, never a 5xx', async () => {
    const key = fc.constantFrom('before', 'limit', 'q', 'id', 'page', '__proto__', 'constructor', 'limit[]', 'a[b][c]', '');
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '0', '1e309', 'NaN', '9007199254740993', '%00', '%ZZ', 'x'.repeat(8_000)));
    for (const op of ops.filter((o) => o.method === 'GET')) {
      await trimmed(fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 5 }), fc.boolean(), async (pairs, signedIn) => {
          const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`).join('&');
          const headers: Record<string, string> = signedIn && op.investigator ? { Cookie: `ombud_session=${admin.cookie}` } : {};
          const out = await send(`${server.url}${pathOf(op, true)}?${query}`, { headers });
          expect(server.alive()).toBe(true);
          expect(out.status, `GET ${op.path}?${query.slice(0, 200)} → ${out.text.slice(0, 200)}`).toBeLessThan(500);
        }),
        { seed: SEED + 2, numRuns: 15, endOnFailure: true },
      ));
    }
  });

  it('answers hostile path parameters with a 4xx, never a 5xx', async () => {
    const raw = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('..', '%2e%2e%2f', '%00', '%ZZ', 'A'.repeat(5_000), '__proto__', 'constructor', ' ', '%E2%80%AE'));
    for (const op of ops.filter((o) => o.params.length > 0)) {
      await trimmed(fc.assert(
        fc.asyncProperty(raw, async (value) => {
          const encoded = value.startsWith('%') ? value : encodeURIComponent(value);
          const path = op.path.replace(/\{[^}]+\}/g, encoded);
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          if (op.investigator) Object.assign(headers, { Cookie: `ombud_session=${admin.cookie}`, 'X-Ombud-CSRF': admin.csrf });
          const out = await send(`${server.url}${path}`, { method: op.method, headers, body: op.method === 'GET' ? undefined : '{}' });
          expect(server.alive()).toBe(true);
          expect(out.status, `${op.method} ${path.slice(0, 200)} → ${out.text.slice(0, 200)}`).toBeLessThan(500);
          expect(out.status, `${op.method} ${path.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        }),
        { seed: SEED + 3, numRuns: 12, endOnFailure: true },
      ));
    }
  });

  it('answers hostile cookies and CSRF headers with a 4xx, never a 5xx', async () => {
    const cookie = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(`ombud_session=${admin.cookie}; ombud_session=${'B'.repeat(43)}`, 'ombud_session=', 'ombud_session', '=;=;=', `ombud_session=${'%'.repeat(43)}`, `ombud_session=${'A'.repeat(4_000)}`),
    );
    const csrf = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', ' ', admin.csrf.toUpperCase(), `${admin.csrf}, ${admin.csrf}`, admin.csrf.slice(1)));
    for (const op of ops.filter((o) => o.investigator)) {
      await trimmed(fc.assert(
        fc.asyncProperty(cookie, csrf, async (c, x) => {
          const out = await send(`${server.url}${pathOf(op, true)}`, {
            method: op.method, body: op.method === 'GET' ? undefined : '{}',
            // The type the operation takes (a voice reply is raw OpenPGP): what is tested is the session, not the body.
            headers: {
              'Content-Type': op.body === 'octet-stream' ? 'application/octet-stream' : 'application/json',
              Cookie: c.replace(/[^\x20-\x7e]/g, ''), 'X-Ombud-CSRF': x.replace(/[^\x20-\x7e]/g, ''),
            },
          });
          expect(server.alive()).toBe(true);
          expect(out.status, `${op.method} ${op.path} → ${out.text.slice(0, 200)}`).toBeLessThan(500);
          if (op.method !== 'GET') expect([401, 403], `${op.method} ${op.path} → ${out.status}`).toContain(out.status);
        }),
        { seed: SEED + 4, numRuns: 8, endOnFailure: true },
      ));
    }
  });

  it('keeps memory bounded under 16 simultaneous largest uploads', async () => {
    const tickets: string[] = [];
    for (let i = 0; i < 16; i += 1) {
      const pow = await fetchSolvedPow(server.url as unknown as Express);
      const res = await send(`${server.url}/api/uploads/ticket`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pow }) });
      tickets.push((res.json() as { ticket: string }).ticket);
    }
    const body = Buffer.alloc(LIMITS.uploadCiphertextBytes, 0xc1); // as large as allowed; a key packet that never ends
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, server.rssMiB())), 10);
    try {
      const answers = await Promise.all(tickets.map((ticket) => send(`${server.url}/api/uploads`, {
        method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Ombud-Upload-Ticket': ticket }, body,
      })));
      expect(answers.map((a) => a.status)).toEqual(tickets.map(() => 400));
    } finally {
      clearInterval(sampler);
    }
    expect(server.alive()).toBe(true);
    expect(peak).toBeGreaterThan(10);
    expect(peak).toBeLessThan(RSS_BOUND_MIB);
  });

  it('still serves the owner afterwards, with the database and the audit chain whole', async () => {
    expect((await admin.get('/api/auth/session')).status).toBe(200);
    expect((await send(`${server.url}/api/health`)).status).toBe(200);
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
    expect(integrityCheck(seed.dataDir)).toBe('ok');
  });
});
