import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { ChannelInfo } from '../../common/api.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

describe('removing a member', () => {
  it('ends their sessions, refuses their old session and their password, and leaves them out of every new case', async () => {
    const { caseId } = await t.submitReport();
    const leaver = await t.addInvestigator(t.team);
    const theirs = await t.login(leaver);
    await theirs.get(`/api/cases/${caseId}`).expect(200);
    const admin = await t.login(t.team.admin);

    const res = await admin.post(`/api/team/members/${leaver.id}/remove`).expect(200);
    expect(res.body).toEqual({ memberId: leaver.id, sessionsEnded: 1 });
    expect(t.repos.investigators.find(leaver.id)).toMatchObject({ disabled: true, wrappedPrivateKey: '' });

    for (const path of ['/api/cases', `/api/cases/${caseId}`, '/api/cases/index', '/api/team/index-key', `/api/cases/${caseId}/export`, `/api/cases/${caseId}/attachments/AAAAAAAAAAAAAAAAAAAAAA`]) {
      expect((await theirs.get(path).expect(401)).body.error).toBe('not_authenticated');
    }
    expect((await theirs.post(`/api/cases/${caseId}/notes`, { body: 'AAAA' }).expect(401)).body.error).toBe('not_authenticated');
    const again = await request(t.app).post('/api/auth/login').set(json).send({ username: leaver.username, verifier: leaver.verifier }).expect(401);
    expect(again.body.error).toBe('invalid_credentials');

    const channel = (await request(t.app).get(`/api/channels/${t.team.channelSlug}`).expect(200)).body as ChannelInfo;
    expect(channel.teams[0]!.recipientKeys).not.toContain(leaver.keyPair.publicKey);
    const toLeaver = await t.draftReport({ recipients: (keys) => [...keys, leaver.keyPair.publicKey] });
    expect((await request(t.app).post('/api/intake').set(json).send(toLeaver.body).expect(400)).body.error).toBe('wrong_recipients');
    await t.submitReport(); // without them: accepted
    expect(t.repos.audit.list().filter((e) => e.action === 'team.member_removed').map((e) => e.detail))
      .toEqual([{ member: leaver.id, sessionsEnded: 1 }]);
  });

  it('refuses to remove the last administrator or the last admitted investigator, and says what to do', async () => {
    const admin = await t.login(t.team.admin);
    const alone = await admin.post(`/api/team/members/${t.team.admin.id}/remove`).expect(409);
    expect(alone.body.error).toBe('last_member');
    expect(alone.body.message).toMatch(/admit them first.*\/recover/);
    await t.addInvestigator(t.team);
    const lastAdmin = await admin.post(`/api/team/members/${t.team.admin.id}/remove`).expect(409);
    expect(lastAdmin.body.error).toBe('last_admin');
    expect(lastAdmin.body.message).toMatch(/invite another administrator/);
    expect(t.repos.investigators.find(t.team.admin.id)?.disabled).toBe(false);
    await admin.get('/api/cases').expect(200); // still signed in

    const second = await t.addInvestigator(t.team, { role: 'admin' });
    expect((await admin.post(`/api/team/members/${second.id}/remove`).expect(200)).body.sessionsEnded).toBe(0);
  });

  it('is for administrators of the member’s own team, once', async () => {
    const colleague = await t.addInvestigator(t.team);
    const other = await t.addInvestigator(t.team);
    const plain = await t.login(colleague);
    expect((await plain.post(`/api/team/members/${other.id}/remove`).expect(403)).body.error).toBe('admin_only');
    const elsewhere = await t.addTeam({ name: 'Supplier committee' });
    const stranger = await t.login(elsewhere.admin);
    expect((await stranger.post(`/api/team/members/${other.id}/remove`).expect(404)).body.error).toBe('member_not_found');
    const admin = await t.login(t.team.admin);
    await admin.post(`/api/team/members/${other.id}/remove`).expect(200);
    expect((await admin.post(`/api/team/members/${other.id}/remove`).expect(409)).body.error).toBe('member_disabled');
    const pendingAdmin = await t.login(await t.addInvestigator(t.team, { role: 'admin', admitted: false }));
    expect((await pendingAdmin.post(`/api/team/members/${colleague.id}/remove`).expect(403)).body.error).toBe('not_admitted');
    expect((await pendingAdmin.get(`/api/team/members/${colleague.id}/share`).expect(403)).body.error).toBe('not_admitted');
    expect(t.repos.investigators.find(other.id)?.disabled).toBe(true);
  });
});
