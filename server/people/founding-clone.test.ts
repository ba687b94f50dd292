import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { newSalt, randomBytes, toBase64Url } from '../../crypto/index.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

describe('founding a team with another team\'s recovery key', () => {
  it('is refused: both are public (channel links), and two teams with one trust root would make recovery ambiguous', async () => {
    const admin = await t.login(t.team.admin);
    const link = (await admin.post('/api/teams/foundings', { teamName: 'Clone', founderName: 'Mallory' }).expect(201)).body.link as string;
    const token = link.split('#found=')[1]!;
    const [offered] = (await request(t.app).get(`/api/channels/${t.team.channelSlug}`).expect(200)).body.teams;
    const res = await request(t.app).post('/api/foundings/accept').set(json).send({
      token, username: 'mallory', displayName: 'Mallory', salt: newSalt(), verifier: toBase64Url(randomBytes(32)),
      // No private key needed: the team's recovery key and its admin's certified key, as any report form gets them.
      recoveryPublicKey: offered.recoveryKey, publicKey: offered.investigatorKeys[0],
      wrappedPrivateKey: toBase64Url(randomBytes(64)),
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('recovery_key_in_use');
    expect(t.repos.teams.list()).toHaveLength(1);
    expect(t.repos.investigators.findByUsername('mallory')).toBeUndefined();
    // The link is not spent by the refusal.
    expect((await request(t.app).post('/api/foundings/info').set(json).send({ token }).expect(200)).body.teamName).toBe('Clone');
  });
});
