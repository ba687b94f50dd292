import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { FoundingAcceptRequest } from '../../common/api.ts';
import { certifyKey, generateKeyPair, newSalt, randomBytes, toBase64Url, wrapKey } from '../../crypto/index.ts';
import { sha256Hex } from '../security/secrets.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';
import { FOUNDING_TTL_MS } from './founding.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (path: string, body: unknown) => request(t.app).post(path).set(json).send(body as object);

async function foundingLink() {
  const admin = await t.login(t.team.admin);
  const res = await admin.post('/api/teams/foundings', { teamName: 'Supplier grievance committee', founderName: 'Dewi' }).expect(201);
  const token = /\/join#found=([A-Za-z0-9_-]{43})$/.exec(res.body.link)?.[1];
  if (!token) throw new Error(`no token in ${res.body.link}`);
  return { admin, token, created: res.body };
}

/** What the founder's browser sends: a new recovery key, and their key certified by it (unless `certified: false`). */
async function acceptBody(token: string, opts: { username?: string; certified?: boolean } = {}): Promise<FoundingAcceptRequest> {
  const recovery = await generateKeyPair({ name: 'Supplier recovery key', kind: 'team' });
  const founder = await generateKeyPair({ name: 'Dewi', kind: 'team' });
  const publicKey = opts.certified === false ? founder.publicKey : await certifyKey({ publicKey: founder.publicKey, certifier: recovery.privateKey });
  return {
    token, username: opts.username ?? 'dewi', displayName: 'Dewi Lestari', salt: newSalt(), verifier: toBase64Url(randomBytes(32)),
    publicKey, recoveryPublicKey: recovery.publicKey,
    wrappedPrivateKey: await wrapKey({ key: founder.privateKey, wrapKey: randomBytes(32), purpose: 'investigator' }),
  };
}

describe('founding a team', () => {
  it('gives a deployment administrator a single-use link and stores only its hash', async () => {
    const { token, created } = await foundingLink();
    expect(created.link).toBe(`${t.config.publicUrl}/join#found=${token}`);
    expect(created.expiresAt - created.createdAt).toBe(FOUNDING_TTL_MS);
    expect(t.repos.foundings.findByTokenHash(sha256Hex(token))?.teamName).toBe('Supplier grievance committee');
    expect(JSON.stringify(t.db.prepare('SELECT * FROM team_foundings').all())).not.toContain(token);
    const listed = (await (await t.login(t.team.admin)).get('/api/teams').expect(200)).body;
    expect(listed.foundings).toEqual([expect.objectContaining({ id: created.id, teamName: 'Supplier grievance committee', founderName: 'Dewi' })]);
  });

  it('is for administrators of the team that runs the deployment only', async () => {
    const supplier = await t.addTeam({ name: 'Other supplier', runsDeployment: false });
    const other = await t.login(supplier.admin);
    const res = await other.post('/api/teams/foundings', { teamName: 'X', founderName: 'Y' }).expect(403);
    expect(res.body.error).toBe('deployment_admin_only');
    await other.get('/api/teams').expect(403);
    await (await t.login(await t.addInvestigator(t.team))).post('/api/teams/foundings', { teamName: 'X', founderName: 'Y' }).expect(403);
  });

  it('creates the team and its admitted first administrator in one go, once', async () => {
    const { token } = await foundingLink();
    expect((await post('/api/foundings/info', { token }).expect(200)).body).toMatchObject({ teamName: 'Supplier grievance committee', founderName: 'Dewi' });
    const body = await acceptBody(token);
    const res = await post('/api/foundings/accept', body).expect(201);
    expect(res.body).toEqual({ username: 'dewi', teamId: expect.any(String), teamName: 'Supplier grievance committee' });
    const team = t.repos.teams.find(res.body.teamId)!;
    expect(team).toMatchObject({ recoveryPublicKey: body.recoveryPublicKey, runsDeployment: false });
    const [dewi] = t.repos.investigators.activeOfTeam(team.id);
    expect(dewi).toMatchObject({ username: 'dewi', role: 'admin', publicKey: body.publicKey, admittedDay: team.createdDay });
    expect(t.repos.audit.list().find((e) => e.action === 'team.founded')?.detail).toMatchObject({ team: team.id, recoveryFingerprint: team.recoveryFingerprint });
    const session = await post('/api/auth/login', { username: 'dewi', verifier: body.verifier }).expect(200);
    expect(session.body.investigator).toMatchObject({ teamId: team.id, role: 'admin', runsDeployment: false, admitted: true });

    expect((await post('/api/foundings/accept', await acceptBody(token, { username: 'dewi2' })).expect(410)).body.error).toBe('founding_used');
    expect(t.repos.teams.list()).toHaveLength(2);
    const listed = (await (await t.login(t.team.admin)).get('/api/teams').expect(200)).body;
    expect(listed.teams.find((x: { id: string }) => x.id === team.id)).toMatchObject({ members: 1, pending: 0, recoveryFingerprint: team.recoveryFingerprint });
    expect(listed.foundings).toEqual([]);
  });

  it('refuses a founder key the new recovery key did not certify, and keeps the link', async () => {
    const { token } = await foundingLink();
    const res = await post('/api/foundings/accept', await acceptBody(token, { certified: false })).expect(400);
    expect(res.body.error).toBe('key_not_certified');
    expect(t.repos.teams.list()).toHaveLength(1);
    await post('/api/foundings/accept', await acceptBody(token)).expect(201);
  });

  it('refuses unknown, withdrawn and expired links', async () => {
    expect((await post('/api/foundings/info', { token: toBase64Url(randomBytes(32)) }).expect(403)).body.error).toBe('founding_invalid');
    const { admin, token, created } = await foundingLink();
    await admin.post(`/api/teams/foundings/${created.id}/revoke`).expect(204);
    expect((await post('/api/foundings/accept', await acceptBody(token)).expect(410)).body.error).toBe('founding_revoked');
    const second = await foundingLink();
    t.clock.advance({ days: 7, seconds: 1 });
    expect((await post('/api/foundings/info', { token: second.token }).expect(410)).body.error).toBe('founding_expired');
    expect(t.repos.teams.list()).toHaveLength(1);
  });

  it('refuses a username that is taken without spending the link', async () => {
    const { token } = await foundingLink();
    expect((await post('/api/foundings/accept', await acceptBody(token, { username: t.team.admin.username })).expect(409)).body.error).toBe('username_taken');
    await post('/api/foundings/accept', await acceptBody(token)).expect(201);
  });
});
