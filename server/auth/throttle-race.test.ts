/**
 * Throttles that hold under concurrency: every limited
 * attempt is counted BEFORE the slow check it guards (scrypt, a signature)
 * is awaited, and refunded only when it succeeds. Thirty attempts fired at
 * once therefore reach the check no more often than the limit allows, the
 * rest answer 429 — the count of checks is read from the audit trail, which
 * records every check that ran and failed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { RecoveryChallenge } from '../../common/api.ts';
import { recoveryStatement } from '../../common/recovery.ts';
import {
  certifyKey, generateKeyPair, newSalt, randomBytes, signPossession, toBase64Url, wrapKey,
} from '../../crypto/index.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';
import { base32Decode, hotp, totpStep } from './totp.ts';

const PARALLEL = 30;
/** createThrottles: loginByUsername lets 5 failures pass; the 6th is checked and starts the first block. */
const USERNAME_CHECKS = 5 + 1;
/** recoveryByClient: 5 free, the 6th starts the block. */
const RECOVERY_CHECKS = 5 + 1;

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const audited = (action: string) => t.repos.audit.list().filter((e) => e.action === action).length;
const statuses = (answers: { status: number }[]) =>
  answers.reduce<Record<number, number>>((all, a) => ({ ...all, [a.status]: (all[a.status] ?? 0) + 1 }), {});

describe('sign-in throttles under 30 simultaneous attempts', () => {
  it('checks no more wrong passwords for one user name than the limit; the rest get 429', async () => {
    const wrong = t.team.admin.verifier.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        request(t.app).post('/api/auth/login').set(json).send({ username: t.team.admin.username, verifier: wrong })),
    );
    const checks = audited('auth.login_failed');
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(USERNAME_CHECKS);
    expect(statuses(answers)).toEqual({ 401: checks, 429: PARALLEL - checks });
  });

  it('checks no more second-factor codes than the limit when the password is right', async () => {
    const client = await t.login(t.team.admin);
    const enrolment = (await client.post('/api/auth/totp/enrol').expect(200)).body;
    const secret = base32Decode(enrolment.secret);
    await client.post('/api/auth/totp/confirm', { code: hotp(secret, totpStep(t.clock.now())) }).expect(200);
    t.clock.advance({ seconds: 30 });
    const right = hotp(secret, totpStep(t.clock.now()));
    const codes = Array.from({ length: PARALLEL }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(codes.map((secondFactor) =>
      request(t.app).post('/api/auth/login').set(json)
        .send({ username: t.team.admin.username, verifier: t.team.admin.verifier, secondFactor })));
    const checks = audited('auth.second_factor_failed');
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(USERNAME_CHECKS);
    expect(statuses(answers)).toEqual({ 401: checks, 429: PARALLEL - checks });
  });

  it('still signs in after a right answer, which refunds its own attempt', async () => {
    await request(t.app).post('/api/auth/login').set(json).send({ username: t.team.admin.username, verifier: 'A'.repeat(43) }).expect(401);
    await request(t.app).post('/api/auth/login').set(json).send({ username: t.team.admin.username, verifier: t.team.admin.verifier }).expect(200);
    // Asking for the second factor is not a failure either: five wrong tries still pass after it.
    for (let i = 0; i < 5; i += 1) {
      await request(t.app).post('/api/auth/login').set(json).send({ username: t.team.admin.username, verifier: 'A'.repeat(43) }).expect(401);
    }
  });
});

describe('the recovery throttle under 30 simultaneous attempts', () => {
  it('checks no more wrong signatures than the limit; the rest get 429', async () => {
    const stranger = await generateKeyPair({ name: 'Not the recovery key' });
    const pair = await generateKeyPair({ name: 'New administrator' });
    const recovery = t.team.recovery.privateKey;
    const publicKey = await certifyKey({ publicKey: pair.publicKey, certifier: recovery });
    const wrappedPrivateKey = await wrapKey({ key: pair.privateKey, wrapKey: randomBytes(32), purpose: 'investigator' });
    const bodies = await Promise.all(Array.from({ length: PARALLEL }, async () => {
      const { challenge } = (await request(t.app).post('/api/recovery/challenge').set(json).send({}).expect(200)).body as RecoveryChallenge;
      const verifier = toBase64Url(randomBytes(32));
      const statement = recoveryStatement({ challenge, username: 'rescuer', verifier });
      return {
        recoveryFingerprint: recovery.fingerprint.toLowerCase(), challenge,
        signature: await signPossession({ text: statement, key: stranger.privateKey }),
        username: 'rescuer', displayName: 'Rescuer', salt: newSalt(), verifier, publicKey, wrappedPrivateKey,
      };
    }));
    const answers = await Promise.all(bodies.map((body) => request(t.app).post('/api/recovery').set(json).send(body)));
    const checks = audited('team.recovery_failed');
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(RECOVERY_CHECKS);
    expect(statuses(answers)).toEqual({ 403: checks, 429: PARALLEL - checks });
  });
});

describe('the reporter look-up throttle under 30 simultaneous attempts', () => {
  it('answers at most 11 wrong look-ups from one client with 404 (10 free + the one that blocks); the rest 429', async () => {
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () =>
      request(t.app).post('/api/status').set(json).send({ lookupId: toBase64Url(randomBytes(32)), verifier: toBase64Url(randomBytes(32)) })));
    const counts = statuses(answers);
    expect(counts[404]).toBeLessThanOrEqual(10 + 1);
    expect(counts).toEqual({ 404: counts[404], 429: PARALLEL - counts[404]! });
  });
});
