import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvelope, randomBytes, sealEnvelope, toBase64Url } from '../../crypto/index.ts';
import { CSRF_HEADER } from './session-gate.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

describe('PUT /api/auth/envelope', () => {
  it('stores a re-sealed v2 envelope given the account’s verifier, and the next sign-in hands it back', async () => {
    const mei = await t.addInvestigator(t.team, { envelope: 1 });
    const client = await t.login(mei);
    const other = '0123456789abcdef0123456789abcdef01234567';
    const wrappedPrivateKey = await sealEnvelope({
      key: mei.keyPair.privateKey, wrapKey: mei.wrapKey, trust: { root: t.team.recovery.privateKey.fingerprint, sendTo: [other] },
    });
    await client.agent.put('/api/auth/envelope').set(json).set(CSRF_HEADER, client.session.csrfToken)
      .send({ verifier: mei.verifier, wrappedPrivateKey }).expect(204);
    const again = await t.login(mei);
    const opened = await openEnvelope({ wrapped: again.session.wrappedPrivateKey, wrapKey: mei.wrapKey });
    expect(opened.trust).toEqual({ root: t.team.recovery.privateKey.fingerprint.toLowerCase(), sendTo: [other] });
    expect(t.repos.audit.list().map((e) => e.action)).toContain('auth.envelope_sealed');
  });

  it('refuses a wrong verifier and a version 1 blob, and keeps the stored envelope', async () => {
    const mei = await t.addInvestigator(t.team);
    const client = await t.login(mei);
    const before = client.session.wrappedPrivateKey;
    const put = (body: object) => client.agent.put('/api/auth/envelope').set(json).set(CSRF_HEADER, client.session.csrfToken).send(body);
    const sealed = await sealEnvelope({ key: mei.keyPair.privateKey, wrapKey: mei.wrapKey, trust: { root: 'a'.repeat(40), sendTo: [] } });
    expect((await put({ verifier: toBase64Url(randomBytes(32)), wrappedPrivateKey: sealed })).body.error).toBe('verifier_invalid');
    const v1 = `AQ${sealed.slice(2)}`;
    expect((await put({ verifier: mei.verifier, wrappedPrivateKey: v1 })).body.error).toBe('invalid_envelope');
    expect((await t.login(mei)).session.wrappedPrivateKey).toBe(before);
  });

  it('needs a session and the CSRF header', async () => {
    const mei = await t.addInvestigator(t.team);
    const client = await t.login(mei);
    await client.agent.put('/api/auth/envelope').set(json).send({ verifier: mei.verifier, wrappedPrivateKey: 'Ag' }).expect(403);
  });

  it('counts password guesses against the sign-in limit, even 30 at once, so a stolen session cannot test passwords here', async () => {
    const mei = await t.addInvestigator(t.team);
    const client = await t.login(mei);
    const sealed = await sealEnvelope({ key: mei.keyPair.privateKey, wrapKey: mei.wrapKey, trust: { root: 'a'.repeat(40), sendTo: [] } });
    const guesses = await Promise.all(Array.from({ length: 30 }, () =>
      client.agent.put('/api/auth/envelope').set(json).set(CSRF_HEADER, client.session.csrfToken)
        .send({ verifier: toBase64Url(randomBytes(32)), wrappedPrivateKey: sealed })));
    const checked = guesses.filter((g) => g.body.error === 'verifier_invalid').length;
    // The user-name limit lets 5 failures pass and checks the 6th (server/auth/throttle-race.test.ts); the rest wait.
    expect(checked).toBeLessThanOrEqual(6);
    expect(guesses.filter((g) => g.status === 429).length).toBe(30 - checked);
    expect(t.repos.audit.list().filter((e) => e.action === 'auth.envelope_failed').length).toBe(checked);
  });
});
