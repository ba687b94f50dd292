import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { generateKeyPair, newSalt, randomBytes, toBase64Url, wrapKey } from '../../crypto/index.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';
import { sha256Hex } from '../security/secrets.ts';
import { INVITE_TTL_MS } from './invites.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (path: string, body: unknown) => request(t.app).post(path).set(json).send(body as object);

async function invite(role: 'admin' | 'investigator' = 'investigator') {
  const admin = await t.login(t.team.admin);
  const res = await admin.post('/api/team/invites', { displayName: 'Arif', role }).expect(201);
  const token = /\/join#([A-Za-z0-9_-]{43})$/.exec(res.body.link)?.[1];
  if (!token) throw new Error(`no token in ${res.body.link}`);
  return { admin, token, created: res.body };
}

async function acceptBody(token: string, username = 'arif') {
  const keyPair = await generateKeyPair({ name: username, kind: 'team' });
  const wrapped = await wrapKey({ key: keyPair.privateKey, wrapKey: randomBytes(32), purpose: 'investigator' });
  return {
    token, username, displayName: 'Arif Rahman', salt: newSalt(), verifier: toBase64Url(randomBytes(32)),
    publicKey: keyPair.publicKey, wrappedPrivateKey: wrapped,
  };
}

describe('invitations', () => {
  it('gives an administrator a link with the token in the fragment and stores only its hash', async () => {
    const { token, created } = await invite();
    expect(created.link).toBe(`${t.config.publicUrl}/join#${token}`);
    expect(created.expiresAt - created.createdAt).toBe(INVITE_TTL_MS);
    const stored = t.repos.invites.findByTokenHash(sha256Hex(token));
    expect(stored?.teamId).toBe(t.team.id);
    expect(JSON.stringify(t.db.prepare('SELECT * FROM invites').all())).not.toContain(token);
    expect(t.repos.audit.list().map((e) => e.action)).toContain('team.invite_created');
  });

  it('refuses investigators who are not administrators', async () => {
    const plain = await t.login(await t.addInvestigator(t.team));
    await plain.post('/api/team/invites', { displayName: 'X', role: 'investigator' }).expect(403);
    await plain.get('/api/team/invites').expect(403);
  });

  it('creates the investigator in the inviting team once, and the new account can sign in', async () => {
    const { token } = await invite();
    const info = await post('/api/invites/info', { token }).expect(200);
    expect(info.body).toMatchObject({ displayName: 'Arif', role: 'investigator', teamName: t.team.name });
    const body = await acceptBody(token);
    await post('/api/invites/accept', body).expect(201, { username: 'arif', teamName: t.team.name });
    const arif = t.repos.investigators.findByUsername('arif');
    expect(arif).toMatchObject({ teamId: t.team.id, role: 'investigator', displayName: 'Arif Rahman', passwordSalt: body.salt });
    expect(t.repos.investigators.ofTeam(t.team.id).map((i) => i.username)).toContain('arif');
    // Pending until an administrator admits them with the recovery key (server/people/admission.test.ts).
    expect(arif?.admittedDay).toBeNull();
    expect(t.repos.investigators.activeOfTeam(t.team.id).map((i) => i.username)).not.toContain('arif');
    await post('/api/auth/login', { username: 'arif', verifier: body.verifier }).expect(200);

    const again = await post('/api/invites/accept', await acceptBody(token, 'arif2')).expect(410);
    expect(again.body.error).toBe('invite_used');
    expect(t.repos.investigators.findByUsername('arif2')).toBeUndefined();
  });

  it('answers 403 for an unknown link and 410 for an expired or withdrawn one', async () => {
    const unknown = await post('/api/invites/accept', await acceptBody(toBase64Url(randomBytes(32)))).expect(403);
    expect(unknown.body.error).toBe('invite_invalid');

    const { admin, token, created } = await invite();
    expect((await admin.get('/api/team/invites').expect(200)).body.invites.map((i: { id: string }) => i.id)).toEqual([created.id]);
    await admin.post(`/api/team/invites/${created.id}/revoke`).expect(204);
    expect((await admin.get('/api/team/invites').expect(200)).body.invites).toEqual([]);
    expect((await post('/api/invites/info', { token }).expect(410)).body.error).toBe('invite_revoked');

    const second = await admin.post('/api/team/invites', { displayName: 'Bo', role: 'admin' }).expect(201);
    const secondToken = String(second.body.link).split('#')[1];
    t.clock.advance({ ms: INVITE_TTL_MS + 1 });
    expect((await post('/api/invites/accept', await acceptBody(secondToken ?? '')).expect(410)).body.error).toBe('invite_expired');
  });

  it('refuses a username that is taken without spending the link', async () => {
    const { token } = await invite();
    const res = await post('/api/invites/accept', await acceptBody(token, t.team.admin.username)).expect(409);
    expect(res.body.error).toBe('username_taken');
    await post('/api/invites/accept', await acceptBody(token, 'arif')).expect(201);
  });

  it('does not let an administrator withdraw another team’s invitation', async () => {
    const { created } = await invite();
    const other = await t.addTeam({ channelSlug: 'other-plant' });
    const otherAdmin = await t.login(other.admin);
    await otherAdmin.post(`/api/team/invites/${created.id}/revoke`).expect(404);
  });
});
