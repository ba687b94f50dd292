/**
 * Headers and cookies on EVERY answer of the real server process: each
 * operation of the served OpenAPI document (signed in and not), each page
 * route, each built asset, and the error answers (404, 400, 413, 415, 500).
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../server/pages/routes.ts';
import { createTestServer } from '../../server/testing.ts';
import { JSON_TYPE, openApi, send, signIn, type Answer, type SendInit, type Signed } from './support/client.ts';
import { fill, operations, type Operation } from './support/openapi.ts';
import { removeSeed, seedDataDir, startProcess, type Seed, type ServerProcess } from './support/seeded-server.ts';

export const CSP =
  "default-src 'self';script-src 'self' 'wasm-unsafe-eval' 'sha256-wrRAq5XDFeU/pBwf2y526EiWSQIC5FBKXvCWJaYQ63c=' 'sha256-WNuVkSfrJMUfxHO7Y36iCXOKPoI4bJ+0GdUncz5GNfM=';style-src 'self' 'sha256-c2S9oO8yYJ7aIXE8WsJzRvz8dbrJkiBUaMl6QzXIJ4Y=';img-src 'self' data: blob:;" +
  "media-src 'self' blob:;connect-src 'self';font-src 'self';object-src 'none';base-uri 'none';" +
  "form-action 'self';frame-ancestors 'none'";

type HeaderBag = { get(name: string): string | null };

/** The headers every answer carries, whatever it is. */
function expectCommonHeaders(headers: HeaderBag, what: string): void {
  expect(headers.get('content-security-policy'), what).toBe(CSP);
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  expect(headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
  expect(headers.get('cross-origin-resource-policy'), what).toBe('same-origin');
  // Not configured: require-corp would need CORP on blob: media; COOP + CORP already isolate the origin.
  expect(headers.get('cross-origin-embedder-policy'), what).toBeNull();
  expect(headers.get('permissions-policy'), what).toBe('camera=(), geolocation=(), payment=(), usb=(), microphone=(self)');
  expect(headers.get('x-powered-by'), what).toBeNull();
  expect(headers.get('server'), what).toBeNull();
}

function expectApiHeaders(answer: Answer, what: string): void {
  expectCommonHeaders(answer.headers, what);
  expect(answer.headers.get('cache-control'), what).toBe('no-store');
  expect(answer.headers.get('etag'), what).toBeNull(); // etag is off: no conditional requests on the API
  expect(answer.status, what).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.headers.get('content-type'), what).toMatch(/^application\/json/);
    expect(Object.keys(answer.json() as object).sort(), what).toEqual(['error', 'message']);
  }
}

const SOME_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const PARAMS: Record<string, string> = { id: SOME_ID, attachmentId: SOME_ID, inviteId: SOME_ID, slug: 'factory-a' };
const anyParam = (path: string) => fill(path, new Proxy(PARAMS, { get: (t, k: string) => t[k] ?? SOME_ID }));

let seed: Seed;
let server: ServerProcess;
let admin: Signed;
let ops: Operation[];

beforeAll(async () => {
  seed = await seedDataDir();
  server = await startProcess(seed.dataDir);
  admin = await signIn(server.url, seed.teamA.admin);
  ops = operations(await openApi(server.url));
});
afterAll(async () => {
  await server?.stop();
  removeSeed(seed);
});

describe('every API operation', () => {
  it('answers with the security headers and no-store, signed out and signed in', async () => {
    expect(ops.length).toBeGreaterThan(40);
    for (const op of ops) {
      if (op.path === '/api/auth/logout') continue; // signs the admin out: checked below
      const path = anyParam(op.path);
      const body = op.method === 'GET' ? undefined : op.body === 'octet-stream' ? new Uint8Array([1, 2, 3]) : '{}';
      const type = op.body === 'octet-stream' ? 'application/octet-stream' : 'application/json';
      const out = await send(`${server.url}${path}`, { method: op.method, headers: { 'Content-Type': type }, body });
      expectApiHeaders(out, `${op.method} ${op.path} signed out → ${out.status}`);
      if (op.investigator) expect(out.status, `${op.method} ${op.path} signed out`).toBe(401);
      const signed = op.method === 'GET' ? await admin.get(path) : await send(`${server.url}${path}`, {
        method: op.method, body,
        headers: { 'Content-Type': type, Cookie: `ombud_session=${admin.cookie}`, 'X-Ombud-CSRF': admin.csrf },
      });
      expectApiHeaders(signed, `${op.method} ${op.path} signed in → ${signed.status}`);
    }
  });

  it('grants another site nothing in a CORS preflight', async () => {
    for (const op of ops) {
      const out = await send(`${server.url}${anyParam(op.path)}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': op.method, 'Access-Control-Request-Headers': 'content-type, x-ombud-csrf' },
      });
      const what = `OPTIONS ${op.path} → ${out.status}`;
      expect(out.status, what).toBeLessThan(500);
      for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods']) {
        expect(out.headers.get(name), what).toBeNull();
      }
      expectCommonHeaders(out.headers, what);
    }
  });

  it('keeps the headers on error answers: unknown route, bad JSON, huge body, wrong type, cross-site', async () => {
    const cases: [string, SendInit, number][] = [
      ['/api/no-such-thing', {}, 404],
      ['/api/status', { method: 'POST', headers: JSON_TYPE, body: '{"lookupId":' }, 400],
      ['/api/status', { method: 'POST', headers: JSON_TYPE, body: `{"x":"${'a'.repeat(2_000_000)}"}` }, 413],
      ['/api/status', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' }, 415],
      ['/api/status', { method: 'POST', headers: { ...JSON_TYPE, Origin: 'https://evil.example' }, body: '{}' }, 403],
      ['/api/cases', { method: 'DELETE', headers: JSON_TYPE }, 404],
    ];
    for (const [path, init, status] of cases) {
      const out = await send(`${server.url}${path}`, init);
      expect(out.status, path).toBe(status);
      expectApiHeaders(out, `${init.method ?? 'GET'} ${path} → ${status}`);
    }
  });

  it('keeps the headers, and says nothing, on a 500', async () => {
    const t = await createTestServer();
    t.db.close(); // every query now throws inside a handler
    const res = await request(t.app).get('/api/channels/anything').expect(500);
    expectCommonHeaders({ get: (n) => (res.headers[n] as string | undefined) ?? null }, '500');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ error: 'internal_error', message: 'something went wrong on the server' });
  });
});

describe('every page and asset', () => {
  const clientDir = 'dist/client';
  it('carries the security headers; pages are revalidated, hashed assets immutable', async () => {
    const paths = Object.keys(PAGES).map((p) => p.replace(':slug', 'factory-a'));
    for (const path of paths) {
      const out = await send(`${server.url}${path}`);
      expect(out.status, path).toBe(200);
      expectCommonHeaders(out.headers, path);
      expect(out.headers.get('cache-control'), path).toMatch(/^(no-cache|no-store)$/);
    }
    // Every file, and of the thousands of recorded prompts (assets/prompts/<lang>/) the first few of each language.
    const files = readdirSync(join(clientDir, 'assets'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(join(clientDir, 'assets'), join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort();
    const perLanguage = new Map<string, number>();
    const assets = files.filter((file) => {
      if (!file.startsWith('prompts/')) return true;
      const lang = file.split('/')[1]!;
      perLanguage.set(lang, (perLanguage.get(lang) ?? 0) + 1);
      return perLanguage.get(lang)! <= 3;
    });
    expect(assets.length).toBeGreaterThan(5);
    for (const asset of assets) {
      const out = await send(`${server.url}/assets/${asset}`);
      expect(out.status, asset).toBe(200);
      expectCommonHeaders(out.headers, asset);
      expect(out.headers.get('cache-control'), asset).toMatch(/max-age=31536000.*immutable/);
    }
    for (const [path, status] of [['/nothing-here', 404], ['/report.html', 404], ['/assets/missing.js', 404]] as const) {
      const out = await send(`${server.url}${path}`);
      expect(out.status, path).toBe(status);
      expectCommonHeaders(out.headers, path);
    }
    for (const path of ['/r/%ZZ', '/r/%ZZ/info', '/%ZZ', '/assets/%ZZ', '/assets/..%2f..%2fpackage.json', '/%2e%2e/package.json']) {
      const out = await send(`${server.url}${path}`);
      expect(out.status, path).toBeGreaterThanOrEqual(400);
      expect(out.status, path).toBeLessThan(500);
      expect(out.text, path).not.toContain('"dependencies"');
      expectCommonHeaders(out.headers, path);
    }
  });
});

describe('the session cookie', () => {
  const expectFlags = (setCookie: string, secure: boolean) => {
    const parts = setCookie.split(';').map((p) => p.trim().toLowerCase());
    expect(parts[0]).toMatch(/^ombud_session=/);
    expect(parts).toContain('httponly');
    expect(parts).toContain('samesite=strict');
    expect(parts).toContain('path=/');
    expect(parts.some((p) => p.startsWith('domain='))).toBe(false);
    expect(parts.includes('secure')).toBe(secure);
  };

  it('is HttpOnly, SameSite=Strict, Path=/, host-only, and not Secure over plain http', async () => {
    expectFlags(admin.setCookie, false);
    const out = await admin.post('/api/auth/logout');
    expect(out.status).toBeLessThan(300);
    expectFlags(out.headers.get('set-cookie') ?? '', false);
    expect(out.headers.get('set-cookie')).toMatch(/ombud_session=;|Expires=Thu, 01 Jan 1970/);
  });

  it('is Secure when the public URL is https', async () => {
    const https = await startProcess(seed.dataDir, { OMBUD_PUBLIC_URL: 'https://speakup.example' });
    try {
      const signed = await signIn(https.url, seed.teamA.member);
      expectFlags(signed.setCookie, true);
      const out = await send(`${https.url}/api/health`);
      expect(out.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await https.stop();
    }
  });
});
