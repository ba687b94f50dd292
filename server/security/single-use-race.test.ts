/**
 * The concurrency review for the server's single-use proofs: a proof
 * of work, an invitation link and a setup link are checked, then awaited on
 * (the proof's hash, the new account's key checks), then spent. Spending is
 * atomic (a conditional write inside a transaction), so simultaneous uses
 * of one of them (30 proofs of work; 10 invitation and 8 setup requests, each
 * with keys of its own to check) succeed exactly once; the others are refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { certifyKey, generateKeyPair, newSalt, randomBytes, toBase64Url, wrapKey } from '../../crypto/index.ts';
import { issueSetupToken } from '../setup/setup-token.ts';
import { createTestServer, fetchSolvedPow, json, type TestServer } from '../testing.ts';

const PARALLEL = 30;
let t: TestServer;
afterEach(() => t.close());

const statuses = (answers: { status: number; body: { error?: string } }[]) =>
  answers.reduce<Record<string, number>>((all, a) => {
    const key = a.status < 300 ? String(a.status) : `${a.status} ${a.body.error}`;
    return { ...all, [key]: (all[key] ?? 0) + 1 };
  }, {});

describe('single-use proofs under simultaneous uses', () => {
  it('a proof of work buys one upload ticket', async () => {
    t = await createTestServer();
    const pow = await fetchSolvedPow(t.app);
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () =>
      request(t.app).post('/api/uploads/ticket').set(json).send({ pow })));
    expect(statuses(answers)).toEqual({ 200: 1, '403 pow_reused': PARALLEL - 1 });
  });

  it('an invitation link makes one account', async () => {
    t = await createTestServer();
    const admin = await t.login(t.team.admin);
    const link = (await admin.post('/api/team/invites', { displayName: 'Arif', role: 'investigator' }).expect(201)).body.link as string;
    const token = link.split('#')[1]!;
    const bodies = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const keyPair = await generateKeyPair({ name: `arif${i}`, kind: 'team' });
      return {
        token, username: `arif${i}`, displayName: 'Arif', salt: newSalt(), verifier: toBase64Url(randomBytes(32)), publicKey: keyPair.publicKey,
        wrappedPrivateKey: await wrapKey({ key: keyPair.privateKey, wrapKey: randomBytes(32), purpose: 'investigator' }),
      };
    }));
    const answers = await Promise.all(bodies.map((body) => request(t.app).post('/api/invites/accept').set(json).send(body)));
    expect(statuses(answers)).toEqual({ 201: 1, '410 invite_used': bodies.length - 1 });
    expect(bodies.filter((b) => t.repos.investigators.findByUsername(b.username))).toHaveLength(1);
  });

  it('a setup link sets up one deployment', async () => {
    t = await createTestServer({ team: false });
    const { token } = issueSetupToken(t.app.ombud);
    const bodies = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const recovery = await generateKeyPair({ name: `Team ${i} recovery key`, kind: 'team' });
      const admin = await generateKeyPair({ name: `Admin ${i}`, kind: 'team' });
      return {
        setupToken: token,
        team: { name: `Team ${i}`, recoveryPublicKey: recovery.publicKey },
        admin: {
          username: `admin${i}`, displayName: `Admin ${i}`, salt: newSalt(), verifier: toBase64Url(randomBytes(32)),
          publicKey: await certifyKey({ publicKey: admin.publicKey, certifier: recovery.privateKey }),
          wrappedPrivateKey: await wrapKey({ key: admin.privateKey, wrapKey: randomBytes(32), purpose: 'investigator' }),
        },
        channel: { name: `Plant ${i}`, slug: `plant-${i}` },
      };
    }));
    const answers = await Promise.all(bodies.map((body) => request(t.app).post('/api/setup').set(json).send(body)));
    const created = answers.filter((a) => a.status === 201);
    expect(created, JSON.stringify(statuses(answers))).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expect(a.status).toBeGreaterThanOrEqual(400);
  });
});
