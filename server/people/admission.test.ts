import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { certifyKey, generateKeyPair } from '../../crypto/index.ts';
import { createTestServer, json, type TestInvestigator, type TestServer } from '../testing.ts';

let t: TestServer;
let pending: TestInvestigator;
beforeEach(async () => {
  t = await createTestServer();
  // An invitee who accepted: their own key, not certified, not admitted.
  pending = await t.addInvestigator(t.team, { username: 'arif', displayName: 'Arif', admitted: false, certified: false });
});
afterEach(() => t.close());

const certifiedByRecovery = (publicKey: string) => certifyKey({ publicKey, certifier: t.team.recovery.privateKey });
const channelKeys = async () =>
  (await request(t.app).get(`/api/channels/${t.team.channelSlug}`).expect(200)).body.teams[0].recipientKeys as string[];

describe('a pending member', () => {
  it('is no recipient of reports: the channel leaves their key out and a report without it is accepted', async () => {
    const keys = await channelKeys();
    expect(keys).not.toContain(pending.keyPair.publicKey);
    expect(keys).toContain(t.team.admin.keyPair.publicKey);
    await t.submitReport();
    // A report encrypted to them as well is refused: they are not one of the team's recipients yet.
    const extra = await t.draftReport({ recipients: (keys) => [...keys, pending.keyPair.publicKey] });
    const res = await request(t.app).post('/api/intake').set(json).send(extra.body).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
  });

  it('is not offered to the report form for pinning either: only admitted, certified keys are', async () => {
    const [team] = (await request(t.app).get(`/api/channels/${t.team.channelSlug}`).expect(200)).body.teams;
    expect(team.recoveryKey).toBe(t.team.recovery.publicKey);
    expect(team.investigatorKeys).toEqual([t.team.admin.keyPair.publicKey]);
    expect(new Set([...team.investigatorKeys, team.recoveryKey])).toEqual(new Set(team.recipientKeys));
  });

  it('signs in but opens no case: a clear 403 not_admitted, and the session says so', async () => {
    const { caseId } = await t.submitReport();
    const arif = await t.login(pending);
    expect(arif.session.investigator.admitted).toBe(false);
    const list = await arif.get('/api/cases').expect(403);
    expect(list.body).toEqual({ error: 'not_admitted', message: expect.stringMatching(/administrator.*recovery key/) });
    expect((await arif.get(`/api/cases/${caseId}`).expect(403)).body.error).toBe('not_admitted');
    expect((await (await t.login(t.team.admin)).get('/api/auth/session').expect(200)).body.investigator.admitted).toBe(true);
  });
});

describe('GET /api/team/members', () => {
  it('lists every member with its state and whether the recovery key certified it, for administrators only', async () => {
    const admin = await t.login(t.team.admin);
    const res = await admin.get('/api/team/members').expect(200);
    expect(res.body.recoveryFingerprint).toBe(t.team.recovery.privateKey.fingerprint);
    const byName = Object.fromEntries(res.body.members.map((m: { username: string }) => [m.username, m]));
    expect(byName.arif).toEqual({
      id: pending.id, username: 'arif', displayName: 'Arif', role: 'investigator', state: 'pending', certified: false,
      fingerprint: pending.keyPair.privateKey.fingerprint, publicKey: pending.keyPair.publicKey,
      createdDay: expect.any(String), admittedDay: null,
    });
    expect(byName[t.team.admin.username]).toMatchObject({ state: 'admitted', certified: true });
    // Nothing else per member: no password verifier, salt or wrapped private key. Compared by key, not by
    // searching the text: a random base64 key or id may spell "SaLT" (it once did, in a fingerprint's armor).
    expect(Object.keys(res.body).sort()).toEqual(['members', 'recoveryFingerprint']);
    for (const member of res.body.members as object[]) expect(Object.keys(member).sort()).toEqual(Object.keys(byName.arif).sort());
    await (await t.login(await t.addInvestigator(t.team))).get('/api/team/members').expect(403);
  });
});

describe('POST /api/team/members/:id/admit', () => {
  it('admits a member whose own key the recovery key certified: recipient from now on, audited', async () => {
    const admin = await t.login(t.team.admin);
    const certified = await certifiedByRecovery(pending.keyPair.publicKey);
    const res = await admin.post(`/api/team/members/${pending.id}/admit`, { publicKey: certified }).expect(200);
    expect(res.body).toMatchObject({ id: pending.id, state: 'admitted', certified: true, admittedDay: expect.any(String) });
    expect(await channelKeys()).toContain(certified);
    const event = t.repos.audit.list().find((e) => e.action === 'team.member_admitted');
    expect(event).toMatchObject({ investigatorId: t.team.admin.id, detail: { member: pending.id, fingerprint: pending.keyPair.privateKey.fingerprint } });
    await (await t.login(pending)).get('/api/cases').expect(200);
    // A report must now be encrypted to the newcomer too.
    await t.submitReport();
  });

  it('refuses a key the recovery key did not certify, and leaves the member pending', async () => {
    const admin = await t.login(t.team.admin);
    const res = await admin.post(`/api/team/members/${pending.id}/admit`, { publicKey: pending.keyPair.publicKey }).expect(400);
    expect(res.body.error).toBe('key_not_certified');
    const other = await generateKeyPair({ name: 'Somebody', kind: 'team' });
    const byOther = await certifyKey({ publicKey: pending.keyPair.publicKey, certifier: other.privateKey });
    expect((await admin.post(`/api/team/members/${pending.id}/admit`, { publicKey: byOther }).expect(400)).body.error).toBe('key_not_certified');
    expect(t.repos.investigators.find(pending.id)!.admittedDay).toBeNull();
  });

  it('refuses another key than the member’s, even certified (a swapped key)', async () => {
    const admin = await t.login(t.team.admin);
    const attacker = await generateKeyPair({ name: 'Arif', kind: 'team' });
    const res = await admin.post(`/api/team/members/${pending.id}/admit`, { publicKey: await certifiedByRecovery(attacker.publicKey) }).expect(400);
    expect(res.body.error).toBe('key_mismatch');
    expect(t.repos.investigators.find(pending.id)!.publicKey).toBe(pending.keyPair.publicKey);
  });

  it('is for administrators of the member’s own team only', async () => {
    const certified = await certifiedByRecovery(pending.keyPair.publicKey);
    const colleague = await t.login(await t.addInvestigator(t.team));
    expect((await colleague.post(`/api/team/members/${pending.id}/admit`, { publicKey: certified }).expect(403)).body.error).toBe('admin_only');
    const supplier = await t.addTeam({ name: 'Supplier committee', runsDeployment: false });
    const otherAdmin = await t.login(supplier.admin);
    expect((await otherAdmin.post(`/api/team/members/${pending.id}/admit`, { publicKey: certified }).expect(404)).body.error).toBe('member_not_found');
    await request(t.app).post(`/api/team/members/${pending.id}/admit`).set(json).send({ publicKey: certified }).expect(401);
    expect(t.repos.investigators.find(pending.id)!.admittedDay).toBeNull();
  });

  it('certifies the key of a member admitted before keys were certified, keeping their day', async () => {
    const old = await t.addInvestigator(t.team, { certified: false });
    const admin = await t.login(t.team.admin);
    const before = t.repos.investigators.find(old.id)!.admittedDay;
    const res = await admin.post(`/api/team/members/${old.id}/admit`, { publicKey: await certifiedByRecovery(old.keyPair.publicKey) }).expect(200);
    expect(res.body).toMatchObject({ state: 'admitted', certified: true, admittedDay: before });
    expect(t.repos.audit.list().map((e) => e.action)).toContain('team.member_certified');
  });
});
