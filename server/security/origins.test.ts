/**
 * One service, several addresses: the public URL and, e.g., its
 * onion address (OMBUD_EXTRA_ORIGINS). Each configured origin is accepted on
 * state-changing requests and nothing else is; pages on the public address
 * point Tor Browser to the onion one with `Onion-Location`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../config.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

const ONION = `http://${'a'.repeat(56)}.onion`;

describe('OMBUD_EXTRA_ORIGINS', () => {
  it('is a comma-separated list of origins, normalised, without the public one or repeats', () => {
    const config = parseConfig({
      OMBUD_PUBLIC_URL: 'https://speakup.example.org',
      OMBUD_EXTRA_ORIGINS: ` ${ONION}/ , https://speakup.example.org, ${ONION},https://SPEAKUP2.example.org:8443`,
    });
    expect(config.extraOrigins).toEqual([ONION, 'https://speakup2.example.org:8443']);
    expect(config.onionOrigin).toBe(ONION);
    expect(Object.isFrozen(config.extraOrigins)).toBe(true);
  });

  it('is empty by default, with no onion origin', () => {
    const config = parseConfig({});
    expect(config.extraOrigins).toEqual([]);
    expect(config.onionOrigin).toBeUndefined();
  });

  it.each([
    ['a path', `${ONION}/status`],
    ['a query', `${ONION}/?a=1`],
    ['credentials', 'https://user:pw@example.org'],
    ['another scheme', 'ftp://example.org'],
    ['no scheme', 'example.onion'],
  ])('refuses an entry with %s, naming the variable', (_what, value) => {
    expect(() => parseConfig({ OMBUD_EXTRA_ORIGINS: value })).toThrow(ConfigError);
    expect(() => parseConfig({ OMBUD_EXTRA_ORIGINS: value })).toThrow(/OMBUD_EXTRA_ORIGINS/);
  });
});

describe('a service with a public and an onion origin', () => {
  let t: TestServer;
  let clientDir: string;
  beforeEach(async () => {
    clientDir = mkdtempSync(join(tmpdir(), 'ombud-client-'));
    mkdirSync(join(clientDir, 'assets'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>home</title>');
    writeFileSync(join(clientDir, 'status.html'), '<!doctype html><title>status</title>');
    const base = parseConfig({ OMBUD_PUBLIC_URL: 'https://speakup.example.org', OMBUD_EXTRA_ORIGINS: ONION });
    t = await createTestServer({
      config: {
        clientDir, publicUrl: base.publicUrl, publicOrigin: base.publicOrigin,
        extraOrigins: base.extraOrigins, onionOrigin: base.onionOrigin,
      },
    });
  });
  afterEach(() => {
    t.close();
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('accepts a POST from the public origin and from the onion origin', async () => {
    await request(t.app).post('/api/pow').set(json).set('Origin', 'https://speakup.example.org').send({}).expect(200);
    await request(t.app).post('/api/pow').set(json).set('Origin', ONION).send({}).expect(200);
  });

  it('refuses a POST from any origin not configured', async () => {
    for (const origin of [
      `http://${'b'.repeat(56)}.onion`, 'https://evil.example', `https://${'a'.repeat(56)}.onion`, 'http://speakup.example.org', 'null',
    ]) {
      const res = await request(t.app).post('/api/pow').set(json).set('Origin', origin).send({}).expect(403);
      expect(res.body.error).toBe('cross_origin');
    }
  });

  it('sends Onion-Location with the same path on pages served on the public address', async () => {
    const res = await request(t.app).get('/status?x=1').set('Host', 'speakup.example.org').expect(200);
    expect(res.headers['onion-location']).toBe(`${ONION}/status?x=1`);
    const home = await request(t.app).get('/').set('Host', 'speakup.example.org').expect(200);
    expect(home.headers['onion-location']).toBe(`${ONION}/`);
  });

  it('does not send it on the onion address itself, nor on API answers', async () => {
    const onion = await request(t.app).get('/status').set('Host', new URL(ONION).host).expect(200);
    expect(onion.headers['onion-location']).toBeUndefined();
    const api = await request(t.app).get('/api/health').set('Host', 'speakup.example.org').expect(200);
    expect(api.headers['onion-location']).toBeUndefined();
  });
});

describe('a service without an onion origin', () => {
  it('sends no Onion-Location', async () => {
    const clientDir = mkdtempSync(join(tmpdir(), 'ombud-client-'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>home</title>');
    const t = await createTestServer({ config: { clientDir } });
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['onion-location']).toBeUndefined();
    t.close();
    rmSync(clientDir, { recursive: true, force: true });
  });
});
