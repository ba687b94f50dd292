import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { CaseDetail, RecoveryChallenge, SharePage } from '../../common/api.ts';
import { recoveryStatement } from '../../common/recovery.ts';
import {
  certifyKey, decryptPayload, fromBase64Url, fromUtf8, generateKeyPair, newSalt, randomBytes, rewrapSessionKey, signPossession,
  toBase64Url, wrapKey, type KeyPair, type UnlockedKey,
} from '../../crypto/index.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const challenge = async () => (await request(t.app).post('/api/recovery/challenge').set(json).send({}).expect(200)).body as RecoveryChallenge;

/** What /recover sends: a new key certified by `certifier`, a password verifier, and the signature by `signer`. */
async function recoveryBody(opts: { signer?: UnlockedKey; certifier?: UnlockedKey; username?: string; signedUsername?: string; fingerprint?: string; challenge?: string } = {}) {
  const recovery = t.team.recovery.privateKey;
  const pair: KeyPair = await generateKeyPair({ name: 'New administrator' });
  const verifier = toBase64Url(randomBytes(32));
  const username = opts.username ?? 'rescuer';
  const c = opts.challenge ?? (await challenge()).challenge;
  const statement = recoveryStatement({ challenge: c, username: opts.signedUsername ?? username, verifier });
  return {
    pair, verifier,
    body: {
      recoveryFingerprint: opts.fingerprint ?? recovery.fingerprint.toLowerCase(),
      challenge: c,
      signature: await signPossession({ text: statement, key: opts.signer ?? recovery }),
      username, displayName: 'Rescuer', salt: newSalt(), verifier,
      publicKey: await certifyKey({ publicKey: pair.publicKey, certifier: opts.certifier ?? recovery }),
      wrappedPrivateKey: await wrapKey({ key: pair.privateKey, wrapKey: randomBytes(32), purpose: 'investigator' }),
    },
  };
}
const recover = (body: object) => request(t.app).post('/api/recovery').set(json).send(body);

describe('recovering a team with its recovery key', () => {
  it('makes an admitted administrator who, with the recovery key, gets every earlier case re-wrapped to them', async () => {
    const { caseId } = await t.submitReport();
    const { body, pair, verifier } = await recoveryBody();
    const res = await recover(body).expect(201);
    expect(res.body).toEqual({ investigatorId: expect.any(String), username: 'rescuer', teamName: 'CSR team' });
    const made = t.repos.investigators.find(res.body.investigatorId)!;
    expect(made).toMatchObject({ role: 'admin', teamId: t.team.id, disabled: false, admittedDay: '2025-03-14' });

    const login = await request.agent(t.app).post('/api/auth/login').set(json).send({ username: 'rescuer', verifier }).expect(200);
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
    const csrf = login.body.csrfToken as string;
    const page = (await request(t.app).get(`/api/team/members/${made.id}/share`).set('Cookie', cookie).expect(200)).body as SharePage;
    expect(page.items.map((i) => i.id)).toEqual([caseId]);
    const pkesk = await rewrapSessionKey({ header: fromBase64Url(page.items[0]!.header), key: t.team.recovery.privateKey, recipientPublicKey: page.recipientPublicKey });
    await request(t.app).post(`/api/team/members/${made.id}/share`).set(json).set('Cookie', cookie).set('x-ombud-csrf', csrf)
      .send({ items: [{ kind: 'report', id: caseId, pkesk: toBase64Url(pkesk) }] }).expect(200);
    const detail = (await request(t.app).get(`/api/cases/${caseId}`).set('Cookie', cookie).expect(200)).body as CaseDetail;
    expect(fromUtf8(await decryptPayload({ ciphertext: fromBase64Url(detail.report), key: pair.privateKey }))).toContain('test report');
    const audit = t.repos.audit.list().find((e) => e.action === 'team.recovered');
    expect(audit).toMatchObject({ investigatorId: made.id, detail: { team: t.team.id, member: made.id } });
  });

  it('refuses a signature by another key, and audits it', async () => {
    const impostor = await generateKeyPair({ name: 'Impostor' });
    const { body } = await recoveryBody({ signer: impostor.privateKey });
    expect((await recover(body).expect(403)).body.error).toBe('signature_invalid');
    expect(t.repos.investigators.findByUsername('rescuer')).toBeUndefined();
    expect(t.repos.audit.list().map((e) => e.action)).toContain('team.recovery_failed');
  });

  it('refuses a signature made for another account, a key not certified by the recovery key, and a recovery key of no team', async () => {
    const other = await generateKeyPair({ name: 'Other' });
    expect((await recover((await recoveryBody({ signedUsername: 'someone-else' })).body).expect(403)).body.error).toBe('signature_invalid');
    expect((await recover((await recoveryBody({ certifier: other.privateKey })).body).expect(400)).body.error).toBe('key_not_certified');
    expect((await recover((await recoveryBody({ fingerprint: other.privateKey.fingerprint.toLowerCase(), signer: other.privateKey })).body).expect(404)).body.error)
      .toBe('recovery_key_unknown');
    expect(t.repos.investigators.findByUsername('rescuer')).toBeUndefined();
  });

  it('accepts a challenge once, only for ten minutes, and only as the server signed it', async () => {
    const c = (await challenge()).challenge;
    await recover((await recoveryBody({ challenge: c, username: 'first' })).body).expect(201);
    expect((await recover((await recoveryBody({ challenge: c, username: 'second' })).body).expect(403)).body.error).toBe('recovery_reused');
    const late = (await challenge()).challenge;
    t.clock.advance({ minutes: 11 });
    expect((await recover((await recoveryBody({ challenge: late, username: 'third' })).body).expect(403)).body.error).toBe('recovery_expired');
    const forged = `${c.slice(0, -4)}AAAA`;
    expect((await recover((await recoveryBody({ challenge: forged, username: 'fourth' })).body).expect(403)).body.error).toBe('recovery_invalid');
  });

  it('slows a client down after five failed recoveries', async () => {
    const impostor = await generateKeyPair({ name: 'Impostor' });
    for (let i = 0; i < 6; i++) {
      await recover((await recoveryBody({ signer: impostor.privateKey })).body).expect(403);
    }
    const res = await recover((await recoveryBody()).body).expect(429);
    expect(res.body.error).toBe('too_many_attempts');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
