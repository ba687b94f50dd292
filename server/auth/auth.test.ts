import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { derivePasswordSecrets, openEnvelope, randomBytes, toBase64Url } from '../../crypto/index.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (path: string, body: unknown) => request(t.app).post(path).set(json).send(body as object);
const random32 = () => toBase64Url(randomBytes(32));

describe('POST /api/auth/params', () => {
  it('answers the stored salt of a known user', async () => {
    const res = await post('/api/auth/params', { username: t.team.admin.username }).expect(200);
    expect(res.body).toEqual({ salt: t.team.admin.salt, kdf: PASSWORD_KDF_PARAMS });
  });

  it('answers a stable fake salt for an unknown user, shaped like a real one', async () => {
    const a = await post('/api/auth/params', { username: 'nobody' }).expect(200);
    const b = await post('/api/auth/params', { username: 'nobody' }).expect(200);
    expect(a.body).toEqual(b.body);
    expect(a.body.salt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.body.kdf).toEqual(PASSWORD_KDF_PARAMS);
  });
});

describe('POST /api/auth/login', () => {
  it('signs in, sets a strict HttpOnly cookie and returns the session', async () => {
    const res = await post('/api/auth/login', { username: t.team.admin.username, verifier: t.team.admin.verifier }).expect(200);
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/^ombud_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // test config: http
    expect(res.body.investigator).toEqual({
      id: t.team.admin.id, username: t.team.admin.username, displayName: t.team.admin.displayName,
      role: 'admin', teamId: t.team.id, teamName: t.team.name, runsDeployment: true, admitted: true,
      teamRecoveryFingerprint: t.team.recovery.privateKey.fingerprint,
      language: null,
    });
    const { key, trust } = await openEnvelope({ wrapped: res.body.wrappedPrivateKey, wrapKey: t.team.admin.wrapKey });
    expect(trust?.root).toBe(t.team.recovery.privateKey.fingerprint);
    expect(res.body.teamRecoveryKey).toBe(t.team.recovery.publicKey);
    expect(key.fingerprint).toBe(t.team.admin.keyPair.privateKey.fingerprint);
    expect(t.repos.audit.list().map((e) => e.action)).toContain('auth.login');
  });

  it('signs in with a password the way the browser does: params, Argon2id, login, unwrap', async () => {
    const mei = await t.addInvestigator(t.team, { username: 'mei', password: 'correct horse battery staple' });
    const params = (await post('/api/auth/params', { username: 'mei' }).expect(200)).body;
    const secrets = await derivePasswordSecrets('correct horse battery staple', params.salt, params.kdf);
    const session = (await post('/api/auth/login', { username: 'mei', verifier: secrets.verifier }).expect(200)).body;
    const { key } = await openEnvelope({ wrapped: session.wrappedPrivateKey, wrapKey: secrets.wrapKey });
    expect(key.fingerprint).toBe(mei.keyPair.privateKey.fingerprint);
  });

  it('marks the cookie Secure when configured', async () => {
    const secure = await createTestServer({ config: { secureCookies: true } });
    const res = await request(secure.app).post('/api/auth/login').set(json)
      .send({ username: secure.team.admin.username, verifier: secure.team.admin.verifier }).expect(200);
    expect(res.headers['set-cookie']?.[0]).toMatch(/; Secure/);
    secure.close();
  });

  it('gives the same 401 for a wrong verifier and an unknown user, and audits both', async () => {
    const wrong = await post('/api/auth/login', { username: t.team.admin.username, verifier: random32() }).expect(401);
    const unknown = await post('/api/auth/login', { username: 'nobody', verifier: random32() }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toBe('invalid_credentials');
    const failed = t.repos.audit.list().filter((e) => e.action === 'auth.login_failed');
    expect(failed.map((e) => e.detail)).toEqual([{ username: t.team.admin.username }, { username: 'nobody' }]);
  });

  it('refuses a disabled investigator', async () => {
    t.repos.investigators.setDisabled(t.team.admin.id, true);
    await post('/api/auth/login', { username: t.team.admin.username, verifier: t.team.admin.verifier }).expect(401);
  });

  it('blocks a username after repeated failures, even for the right password, until time passes', async () => {
    const { username, verifier } = t.team.admin;
    for (let i = 0; i < 6; i += 1) await post('/api/auth/login', { username, verifier: random32() }).expect(401);
    const blocked = await post('/api/auth/login', { username, verifier }).expect(429);
    expect(blocked.body.error).toBe('too_many_attempts');
    expect(blocked.headers['retry-after']).toBe('1');
    t.clock.advance({ seconds: 2 });
    await post('/api/auth/login', { username, verifier }).expect(200);
  });

  it('issues a new session id at every login', async () => {
    const a = await t.login(t.team.admin);
    const b = await t.login(t.team.admin);
    expect(a.session.csrfToken).not.toBe(b.session.csrfToken);
    await a.get('/api/auth/session').expect(200);
    await b.get('/api/auth/session').expect(200);
  });
});

describe('sessions', () => {
  it('returns the session again after a reload', async () => {
    const client = await t.login(t.team.admin);
    const res = await client.get('/api/auth/session').expect(200);
    expect(res.body).toEqual(client.session);
  });

  it('ends after the idle time, and activity keeps it alive', async () => {
    const client = await t.login(t.team.admin);
    t.clock.advance({ minutes: 29 });
    await client.get('/api/cases').expect(200);
    t.clock.advance({ minutes: 29 });
    await client.get('/api/cases').expect(200);
    t.clock.advance({ minutes: 31 });
    const res = await client.get('/api/cases').expect(401);
    expect(res.body.error).toBe('session_expired');
    await client.get('/api/cases').expect(401);
  });

  it('ends after twelve hours however active', async () => {
    const client = await t.login(t.team.admin);
    for (let i = 0; i < 24; i += 1) {
      t.clock.advance({ minutes: 29 });
      await client.get('/api/auth/session').expect(200);
    }
    t.clock.advance({ minutes: 25 }); // 12 h 01 min after login
    expect((await client.get('/api/cases').expect(401)).body.error).toBe('session_expired');
  });

  it('logs out: 204, cookie cleared, session gone', async () => {
    const client = await t.login(t.team.admin);
    const res = await client.post('/api/auth/logout').expect(204);
    expect(res.headers['set-cookie']?.[0]).toMatch(/^ombud_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await client.get('/api/cases').expect(401)).body.error).toBe('not_authenticated');
  });

  it('refuses requests without a session', async () => {
    expect((await request(t.app).get('/api/cases').expect(401)).body.error).toBe('not_authenticated');
    await request(t.app).get('/api/cases').set('Cookie', `ombud_session=${random32()}`).expect(401);
  });
});

describe('CSRF defences', () => {
  it('refuses an investigator POST without the CSRF header', async () => {
    const client = await t.login(t.team.admin);
    const res = await client.agent.post('/api/auth/logout').set(json).send({}).expect(403);
    expect(res.body.error).toBe('csrf_invalid');
    await client.agent.post('/api/auth/logout').set(json).set('X-Ombud-CSRF', random32()).send({}).expect(403);
  });

  it('refuses a POST from another origin', async () => {
    const client = await t.login(t.team.admin);
    const res = await client.post('/api/auth/logout').set('Origin', 'https://evil.example').expect(403);
    expect(res.body.error).toBe('cross_origin');
    await client.post('/api/auth/logout').set('Origin', 'http://127.0.0.1:8080').expect(204);
  });

  it('refuses a POST whose browser says it is cross-site', async () => {
    const res = await post('/api/pow', {}).set('Sec-Fetch-Site', 'cross-site').expect(403);
    expect(res.body.error).toBe('cross_origin');
  });

  it('refuses a text/plain POST, even with a valid CSRF header', async () => {
    const client = await t.login(t.team.admin);
    const res = await client.agent.post('/api/auth/logout').set('Content-Type', 'text/plain')
      .set('X-Ombud-CSRF', client.session.csrfToken).send('{}').expect(415);
    expect(res.body.error).toBe('unsupported_media_type');
    await request(t.app).post('/api/auth/login').type('form').send({ username: 'a', verifier: 'b' }).expect(415);
  });
});
