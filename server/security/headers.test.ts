import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATIC_HEADERS } from '../../common/release-manifest.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const CSP =
  "default-src 'self';script-src 'self' 'wasm-unsafe-eval' 'sha256-wrRAq5XDFeU/pBwf2y526EiWSQIC5FBKXvCWJaYQ63c=' 'sha256-WNuVkSfrJMUfxHO7Y36iCXOKPoI4bJ+0GdUncz5GNfM=';" +
  "style-src 'self' 'sha256-c2S9oO8yYJ7aIXE8WsJzRvz8dbrJkiBUaMl6QzXIJ4Y=';img-src 'self' data: blob:;" +
  "media-src 'self' blob:;connect-src 'self';font-src 'self';object-src 'none';base-uri 'none';" +
  "form-action 'self';frame-ancestors 'none'";

let t: TestServer;
let clientDir: string;
beforeEach(async () => {
  clientDir = mkdtempSync(join(tmpdir(), 'ombud-client-'));
  mkdirSync(join(clientDir, 'assets'));
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(join(clientDir, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  t = await createTestServer({ config: { clientDir } });
});
afterEach(() => {
  t.close();
  rmSync(clientDir, { recursive: true, force: true });
});

/** `hsts`: the Strict-Transport-Security an https deployment sends; none over http. */
function expectSecurityHeaders(headers: Record<string, string>, hsts?: string) {
  expect(headers['content-security-policy']).toBe(CSP);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-powered-by']).toBeUndefined();
  expect(headers['strict-transport-security']).toBe(hsts);
  // Every header the release manifest promises, byte for byte (one middleware sets them all).
  for (const [name, value] of Object.entries(STATIC_HEADERS)) expect(headers[name], name).toBe(value);
  expect(headers['permissions-policy']).toBe('camera=(), geolocation=(), payment=(), usb=(), microphone=(self)');
}

describe('security headers', () => {
  it('are on API answers, with no-store', async () => {
    const res = await request(t.app).get('/api/health').expect(200);
    expectSecurityHeaders(res.headers as Record<string, string>);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('are on API errors, with no-store', async () => {
    const res = await request(t.app).get('/api/nothing').expect(404);
    expectSecurityHeaders(res.headers as Record<string, string>);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('are on pages and assets', async () => {
    const page = await request(t.app).get('/').expect(200);
    expectSecurityHeaders(page.headers as Record<string, string>);
    const asset = await request(t.app).get('/assets/app-1a2b3c.js').expect(200);
    expectSecurityHeaders(asset.headers as Record<string, string>);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
  });

  it('include HSTS when the public URL is https', async () => {
    const https = await createTestServer({ config: { publicUrl: 'https://speakup.example' }, team: false });
    const res = await request(https.app).get('/api/health');
    expectSecurityHeaders(res.headers as Record<string, string>, 'max-age=31536000; includeSubDomains');
    https.close();
  });
});
