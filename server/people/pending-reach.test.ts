import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newIndexKey, sealForKeys, toBase64Url } from '../../crypto/index.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { createTestServer, json, type InvestigatorClient, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const put = (client: InvestigatorClient, path: string, body: unknown) =>
  client.agent.put(path).set(json).set(CSRF_HEADER, client.session.csrfToken).send(body as object);

describe('a pending (not admitted) member reaches no case through the side routes', () => {
  it('reads no case event in the audit trail, no inbox index, and cannot replace the team index key', async () => {
    const { caseId } = await t.submitReport();
    const pending = await t.login(await t.addInvestigator(t.team, { admitted: false, certified: false }));
    const audit = await pending.get('/api/audit');
    expect(JSON.stringify(audit.body)).not.toContain(caseId);
    expect(audit.status).toBe(403);
    expect(audit.body.error).toBe('not_admitted');
    expect((await pending.get('/api/cases/index').expect(403)).body.error).toBe('not_admitted');
    const recipients = (await (await t.login(t.team.admin)).get('/api/team/index-key').expect(200)).body.recipientKeys as string[];
    const sealed = toBase64Url(await sealForKeys({ data: newIndexKey(), recipients }));
    expect((await put(pending, '/api/team/index-key', { version: 0, sealed }).expect(403)).body.error).toBe('not_admitted');
  });
});

describe('the team\'s legal holds', () => {
  it('name no case to a pending member, nor a case to the investigator excluded from it', async () => {
    const { caseId } = await t.submitReport();
    const admin = await t.login(t.team.admin);
    const colleague = await t.addInvestigator(t.team);
    await admin.post(`/api/cases/${caseId}/legal-hold`, { reason: 'Labour inspectorate inquiry' }).expect(200);
    expect((await admin.get('/api/team/legal-holds').expect(200)).body.caseIds).toEqual([caseId]);
    await admin.post(`/api/cases/${caseId}/exclusions`, { investigatorId: colleague.id }).expect(200);
    expect((await (await t.login(colleague)).get('/api/team/legal-holds').expect(200)).body.caseIds).toEqual([]);
    const pending = await t.login(await t.addInvestigator(t.team, { admitted: false, certified: false }));
    expect((await pending.get('/api/team/legal-holds').expect(403)).body.error).toBe('not_admitted');
  });
});

describe('a pending administrator decides nothing yet', () => {
  it('cannot list or admit members, invite, change deadlines or found teams', async () => {
    const other = await t.addInvestigator(t.team, { admitted: false, certified: false });
    const boss = await t.login(await t.addInvestigator(t.team, { role: 'admin', admitted: false, certified: false }));
    expect(t.repos.teams.find(t.team.id)!.runsDeployment).toBe(true);
    expect((await boss.get('/api/team/members').expect(403)).body.error).toBe('not_admitted');
    expect((await boss.post(`/api/team/members/${other.id}/admit`, { publicKey: other.keyPair.publicKey }).expect(403)).body.error)
      .toBe('not_admitted');
    expect((await boss.post('/api/team/invites', { displayName: 'Mallory', role: 'admin' }).expect(403)).body.error).toBe('not_admitted');
    expect((await put(boss, '/api/team/deadlines', { ackDays: 7, feedbackMonths: 3 }).expect(403)).body.error).toBe('not_admitted');
    expect((await boss.post('/api/teams/foundings', { teamName: 'Shadow', founderName: 'Mallory' }).expect(403)).body.error)
      .toBe('not_admitted');
    expect(t.repos.audit.list().map((e) => e.action)).not.toContain('team.invite_created');
  });
});
