import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestServer, json, type TestServer } from '../testing.ts';
import type { TestInvestigator } from '../testing/organisation.ts';
import { base32Decode, hotp, totpStep } from './totp.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const login = (who: TestInvestigator, secondFactor?: string) =>
  request(t.app).post('/api/auth/login').set(json)
    .send({ username: who.username, verifier: who.verifier, ...(secondFactor === undefined ? {} : { secondFactor }) });

/** Enrols the admin; answers the secret and the recovery codes. */
async function enrol(who: TestInvestigator) {
  const client = await t.login(who);
  const enrolment = (await client.post('/api/auth/totp/enrol').expect(200)).body;
  const secret = base32Decode(enrolment.secret);
  const codeNow = () => hotp(secret, totpStep(t.clock.now()));
  const { recoveryCodes } = (await client.post('/api/auth/totp/confirm', { code: codeNow() }).expect(200)).body;
  t.clock.advance({ seconds: 30 }); // the confirming code's step is spent
  return { client, enrolment, secret, codeNow, recoveryCodes: recoveryCodes as string[] };
}

describe('second factor (TOTP)', () => {
  it('offers an otpauth URI with a 20-byte secret and stores the secret sealed', async () => {
    const client = await t.login(t.team.admin);
    const { secret, uri } = (await client.post('/api/auth/totp/enrol').expect(200)).body;
    expect(base32Decode(secret)).toHaveLength(20);
    expect(uri).toBe(`otpauth://totp/Ombud%3A${t.team.admin.username}?secret=${secret}&issuer=Ombud`);
    const rows = JSON.stringify(t.db.prepare('SELECT * FROM investigator_totp').all());
    expect(rows).not.toContain(secret);
    expect(rows).not.toContain(Buffer.from(base32Decode(secret)).toString('base64url'));
    expect((await client.get('/api/auth/totp').expect(200)).body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
  });

  it('is enabled only by a current code, and answers ten recovery codes stored as hashes', async () => {
    const client = await t.login(t.team.admin);
    await client.post('/api/auth/totp/enrol').expect(200);
    expect((await client.post('/api/auth/totp/confirm', { code: '000000' }).expect(400)).body.error).toBe('second_factor_invalid');
    await login(t.team.admin).expect(200); // not enabled yet
    const { recoveryCodes } = await enrol(await t.addInvestigator(t.team));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = JSON.stringify(t.db.prepare('SELECT * FROM investigator_recovery_codes').all());
    for (const code of recoveryCodes) expect(stored).not.toContain(code);
  });

  it('asks for a code after the right password, then signs in with it once', async () => {
    const { codeNow } = await enrol(t.team.admin);
    const first = await login(t.team.admin).expect(401);
    expect(first.body.error).toBe('second_factor_required');
    expect(first.headers['set-cookie']).toBeUndefined();

    const code = codeNow();
    const ok = await login(t.team.admin, code).expect(200);
    expect(ok.headers['set-cookie']?.[0]).toMatch(/^ombud_session=/);
    const replay = await login(t.team.admin, code).expect(401);
    expect(replay.body.error).toBe('second_factor_invalid');
  });

  it('accepts the codes of the neighbouring time steps but not older ones', async () => {
    const { secret } = await enrol(t.team.admin);
    const step = totpStep(t.clock.now());
    await login(t.team.admin, hotp(secret, step - 2)).expect(401);
    await login(t.team.admin, hotp(secret, step + 1)).expect(200);
    // Step `step` is before the last one used: refused although in the window.
    await login(t.team.admin, hotp(secret, step)).expect(401);
  });

  it('lets a recovery code in exactly once', async () => {
    const { recoveryCodes, client } = await enrol(t.team.admin);
    const code = recoveryCodes[3] ?? '';
    await login(t.team.admin, code.toUpperCase()).expect(200);
    expect((await login(t.team.admin, code).expect(401)).body.error).toBe('second_factor_invalid');
    expect((await client.get('/api/auth/totp').expect(200)).body).toEqual({ enabled: true, recoveryCodesLeft: 9 });
    expect(t.repos.audit.list().map((e) => e.action)).toContain('auth.recovery_code_used');
  });

  it('throttles and audits wrong codes', async () => {
    await enrol(t.team.admin);
    let last = 0;
    for (let i = 0; i < 8; i += 1) last = (await login(t.team.admin, '123456')).status;
    expect(last).toBe(429);
    const failed = t.repos.audit.list().filter((e) => e.action === 'auth.second_factor_failed');
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(failed[0]?.detail).toEqual({ username: t.team.admin.username });
  });

  it('refuses a wrong password before looking at the code', async () => {
    const { codeNow } = await enrol(t.team.admin);
    const res = await request(t.app).post('/api/auth/login').set(json)
      .send({ username: t.team.admin.username, verifier: t.team.admin.verifier.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), secondFactor: codeNow() })
      .expect(401);
    expect(res.body.error).toBe('invalid_credentials');
  });
});

describe('GET /api/team/failed-logins', () => {
  it('shows administrators the failed sign-ins for their team’s usernames only', async () => {
    const mei = await t.addInvestigator(t.team, { username: 'mei' });
    const other = await t.addTeam({ channelSlug: 'other-plant' });
    const wrong = (username: string) =>
      request(t.app).post('/api/auth/login').set(json).send({ username, verifier: 'A'.repeat(43) }).expect(401);
    await wrong('mei');
    await wrong(other.admin.username);
    await wrong('nobody');
    const admin = await t.login(t.team.admin);
    const res = await admin.get('/api/team/failed-logins').expect(200);
    expect(res.body.failures.map((f: { username: string }) => f.username)).toEqual(['mei']);
    await (await t.login(mei)).get('/api/team/failed-logins').expect(403);
  });
});
