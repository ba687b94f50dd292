import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { PASSWORD_KDF } from '../crypto/index.ts';
import express from 'express';
import request from 'supertest';
import { ConfigError, PASSWORD_KDF_PARAMS, parseConfig } from './config.ts';
import { createTestServer, json } from './testing.ts';

describe('configuration', () => {
  it('has documented defaults', () => {
    expect(parseConfig({})).toEqual({
      dataDir: resolve('./data'),
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      publicOrigin: 'http://127.0.0.1:8080',
      extraOrigins: [],
      secureCookies: false,
      powDifficulty: 16,
      sessionIdleMinutes: 30,
      clientDir: resolve('dist/client'),
      trustProxy: false,
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(parseConfig({}))).toBe(true);
  });

  it('makes cookies Secure for an https public URL, unless told otherwise', () => {
    expect(parseConfig({ OMBUD_PUBLIC_URL: 'https://speakup.example/' })).toMatchObject({
      publicUrl: 'https://speakup.example', secureCookies: true,
    });
    expect(parseConfig({ OMBUD_PUBLIC_URL: 'https://speakup.example', OMBUD_SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
  });

  it('parses trust proxy as false, a hop count or a list — and refuses `true`, which believed the left-most address', () => {
    expect(() => parseConfig({ OMBUD_TRUST_PROXY: 'true' })).toThrow(/left-most X-Forwarded-For.*OMBUD_TRUST_PROXY=1/);
    expect(parseConfig({ OMBUD_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseConfig({ OMBUD_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(parseConfig({ OMBUD_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(() => parseConfig({ OMBUD_TRUST_PROXY: '99' })).toThrow(ConfigError);
    expect(parseConfig({ OMBUD_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('with OMBUD_TRUST_PROXY=1 takes the address the one proxy added (right-most), whatever a client wrote to its left', async () => {
    const app = express();
    app.set('trust proxy', parseConfig({ OMBUD_TRUST_PROXY: '1' }).trustProxy);
    app.get('/ip', (req, res) => void res.send(req.ip));
    const ip = async (xff: string) => (await request(app).get('/ip').set('X-Forwarded-For', xff)).text;
    expect(await ip('203.0.113.9')).toBe('203.0.113.9');
    expect(await ip('6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(await ip('1.1.1.1, 2.2.2.2, 6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    app.set('trust proxy', parseConfig({ OMBUD_TRUST_PROXY: '2' }).trustProxy);
    expect(await ip('6.6.6.6, 198.51.100.1, 203.0.113.9')).toBe('198.51.100.1');
  });

  it('throttles token guesses from one client behind one proxy even when each claims another left-most address', async () => {
    const t = await createTestServer({ config: { trustProxy: 1 } });
    try {
      const guess = (n: number) => request(t.app).post('/api/status').set(json)
        .set('X-Forwarded-For', `198.51.100.${n}, 203.0.113.9`).send({ lookupId: 'G'.repeat(43), verifier: 'H'.repeat(43) });
      const statuses: number[] = [];
      for (let n = 1; n <= 13; n += 1) statuses.push((await guess(n)).status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 404 || s === 429)).toBe(true);
    } finally {
      t.close();
    }
  });

  it('brackets an IPv6 host in the default public URL', () => {
    expect(parseConfig({ OMBUD_HOST: '::1', OMBUD_PORT: '9000' }).publicUrl).toBe('http://[::1]:9000');
  });

  it.each([
    [{ OMBUD_PORT: 'eighty' }, /OMBUD_PORT/],
    [{ OMBUD_POW_DIFFICULTY: '40' }, /OMBUD_POW_DIFFICULTY/],
    [{ OMBUD_PUBLIC_URL: 'ftp://x.example' }, /OMBUD_PUBLIC_URL/],
    [{ OMBUD_PUBLIC_URL: 'https://x.example/ombud' }, /without a path/],
    [{ OMBUD_SECURE_COOKIES: 'yes' }, /OMBUD_SECURE_COOKIES/],
  ])('refuses %o', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('uses the same password KDF parameters as the browser', () => {
    expect(PASSWORD_KDF_PARAMS).toEqual(PASSWORD_KDF);
  });
});
