import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { PASSWORD_KDF } from '../crypto/index.ts';
import { ConfigError, PASSWORD_KDF_PARAMS, parseConfig } from './config.ts';

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

  it('parses trust proxy as a boolean, a hop count or a list', () => {
    expect(parseConfig({ OMBUD_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ OMBUD_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ OMBUD_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
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
