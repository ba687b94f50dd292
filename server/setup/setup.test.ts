import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { certifyKey, fingerprintOf, generateKeyPair, randomBytes, toBase64Url, wrapKey } from '../../crypto/index.ts';
import type { SetupRequest } from '../../common/api.ts';
import { WORKER_LANGUAGES } from '../../common/limits.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';
import { sha256Hex } from '../security/secrets.ts';
import { issueSetupToken, setupLink } from './setup-token.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer({ team: false });
});
afterEach(() => t.close());

const random32 = () => toBase64Url(randomBytes(32));

/** As the setup page sends it: the administrator's key certified by the new recovery key (unless `certified: false`). */
async function setupBody(setupToken: string, slug = 'shenzhen-plant-3', opts: { certified?: boolean } = {}): Promise<SetupRequest> {
  const recovery = await generateKeyPair({ name: 'CSR recovery' });
  const admin = await generateKeyPair({ name: 'Mei' });
  const publicKey = opts.certified === false ? admin.publicKey : await certifyKey({ publicKey: admin.publicKey, certifier: recovery.privateKey });
  return {
    setupToken,
    team: { name: 'Brand CSR', recoveryPublicKey: recovery.publicKey },
    admin: {
      username: 'mei', displayName: 'Mei Lin', salt: random32(), verifier: random32(), publicKey,
      wrappedPrivateKey: await wrapKey({ key: admin.privateKey, wrapKey: randomBytes(32), purpose: 'investigator' }),
    },
    channel: { name: 'Shenzhen plant 3', slug },
  };
}
const post = (body: unknown) => request(t.app).post('/api/setup').set(json).send(body as object);

describe('first-run setup', () => {
  it('says setup is needed, with the password KDF parameters', async () => {
    expect((await request(t.app).get('/api/setup').expect(200)).body).toEqual({ needed: true, kdf: PASSWORD_KDF_PARAMS });
  });

  it('creates the team, administrator and channel from a valid link', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    expect(setupLink('https://x.example', token)).toBe(`https://x.example/setup#${token}`);
    const body = await setupBody(token);
    const res = await post(body).expect(201);
    const pin = t.repos.teams.find(res.body.teamId)!.recoveryFingerprint;
    // The report path carries the recovery key's fingerprint (docs/protocol.md, "Pinned keys").
    expect(res.body).toEqual({ teamId: expect.any(String), channelSlug: 'shenzhen-plant-3', reportPath: `/r/shenzhen-plant-3#pins=${pin}` });
    expect(pin).toBe(await fingerprintOf(body.team.recoveryPublicKey));
    expect((await request(t.app).get('/api/setup')).body.needed).toBe(false);
    const channel = (await request(t.app).get('/api/channels/shenzhen-plant-3').expect(200)).body;
    expect(channel.teams).toEqual([
      {
        id: res.body.teamId, name: 'Brand CSR', recipientKeys: [body.admin.publicKey, body.team.recoveryPublicKey],
        // For the form's pin check: the recovery key, and the administrator's key as certified by it.
        recoveryKey: body.team.recoveryPublicKey, investigatorKeys: [body.admin.publicKey],
        // A channel made at setup has one team, so the form ticks it for the worker, and says nothing more about it…
        preselected: true, role: null, note: '',
        // …and has no names in the workers' languages yet (signed by the team when an administrator gives them).
        names: [],
      },
    ]);
    // …and offers every worker language, with no local information yet.
    expect(channel).toMatchObject({ languages: [...WORKER_LANGUAGES], runBy: '', contacts: [], notes: '' });
    await request(t.app).post('/api/auth/login').set(json).send({ username: 'mei', verifier: body.admin.verifier }).expect(200);
    const params = await request(t.app).post('/api/auth/params').set(json).send({ username: 'mei' }).expect(200);
    expect(params.body.salt).toBe(body.admin.salt);
  });

  it('works only once', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    await post(await setupBody(token)).expect(201);
    const again = await post(await setupBody(token, 'other')).expect(409);
    expect(again.body.error).toBe('already_set_up');
  });

  it('refuses a used link even if no administrator came of it', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    t.repos.setup.markUsed(sha256Hex(token), t.clock.now());
    expect((await post(await setupBody(token)).expect(410)).body.error).toBe('setup_link_used');
  });

  it('refuses an unknown link', async () => {
    issueSetupToken(t.app.ombud);
    expect((await post(await setupBody(random32())).expect(403)).body.error).toBe('setup_link_invalid');
  });

  it('refuses a link after 24 hours', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    t.clock.advance({ hours: 24, seconds: 1 });
    expect((await post(await setupBody(token)).expect(410)).body.error).toBe('setup_link_expired');
  });

  it('revokes an unused link when a new one is issued', async () => {
    const first = issueSetupToken(t.app.ombud).token;
    issueSetupToken(t.app.ombud);
    expect((await post(await setupBody(first)).expect(403)).body.error).toBe('setup_link_invalid');
  });

  it('refuses a private key where the recovery public key belongs', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    const body = await setupBody(token);
    body.team.recoveryPublicKey = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n';
    expect((await post(body).expect(400)).body.error).toBe('invalid_public_key');
    await post(await setupBody(token)).expect(201); // the link was not spent by the failure
  });

  it('refuses an administrator key that the recovery key did not certify, and keeps the link', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    const res = await post(await setupBody(token, 'shenzhen-plant-3', { certified: false })).expect(400);
    expect(res.body.error).toBe('key_not_certified');
    expect(res.body.message).toMatch(/recovery key/);
    // A key certified by some other key is no better.
    const body = await setupBody(token);
    const stranger = await generateKeyPair({ name: 'Stranger' });
    body.team.recoveryPublicKey = stranger.publicKey;
    expect((await post(body).expect(400)).body.error).toBe('key_not_certified');
    expect(t.repos.teams.list()).toEqual([]);
    await post(await setupBody(token)).expect(201);
  });

  it('admits the first administrator, whose key is certified', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    const res = await post(await setupBody(token)).expect(201);
    const [admin] = t.repos.investigators.ofTeam(res.body.teamId);
    expect(admin!.admittedDay).toBe(admin!.createdDay);
    expect(t.repos.investigators.activeOfTeam(res.body.teamId)).toHaveLength(1);
  });

  it('lets only one of two simultaneous setups win', async () => {
    const { token } = issueSetupToken(t.app.ombud);
    const [a, b] = await Promise.all([post(await setupBody(token, 'one')), post(await setupBody(token, 'two'))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(t.repos.channels.find('one') === undefined).not.toBe(t.repos.channels.find('two') === undefined);
  });
});
