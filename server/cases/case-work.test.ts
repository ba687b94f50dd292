import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { decryptPayload, fromBase64Url, fromUtf8 } from '../../crypto/index.ts';
import type { CaseDetail, CaseSummary } from '../../common/api.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import {
  createTestServer, encryptMessage, json, type InvestigatorClient, type TestInvestigator, type TestServer,
} from '../testing.ts';

let t: TestServer;
let admin: InvestigatorClient;
let colleague: TestInvestigator;
let other: InvestigatorClient;

beforeEach(async () => {
  t = await createTestServer();
  admin = await t.login(t.team.admin);
  colleague = await t.addInvestigator(t.team);
  other = await t.login(colleague);
});
afterEach(() => t.close());

const detailOf = async (client: InvestigatorClient, caseId: string) => (await client.get(`/api/cases/${caseId}`).expect(200)).body as CaseDetail;
const listOf = async (client: InvestigatorClient) => (await client.get('/api/cases').expect(200)).body.cases as CaseSummary[];

describe('internal notes', () => {
  it('stores a note the team can read and the reporter never sees', async () => {
    const report = await t.submitReport();
    const detail = await detailOf(admin, report.caseId);
    expect(detail.noteKeys).toEqual(detail.teamKeys);
    const body = await encryptMessage('the supervisor named is a cousin of the HR manager', detail.noteKeys);
    const created = await admin.post(`/api/cases/${report.caseId}/notes`, { body }).expect(201);
    const notes = (await detailOf(other, report.caseId)).notes;
    expect(notes).toEqual([{ id: created.body.id, day: '2025-03-14', by: t.team.admin.displayName, body }]);
    const plain = await decryptPayload({ ciphertext: fromBase64Url(notes[0]!.body), key: colleague.keyPair.privateKey });
    expect(fromUtf8(plain)).toContain('cousin');

    const status = await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200);
    expect(status.body).not.toHaveProperty('notes');
    expect(JSON.stringify(status.body)).not.toContain(body);
    expect(t.repos.audit.list().filter((e) => e.action === 'case.note_added')).toHaveLength(1);
  });

  it('refuses a note the reporter could read', async () => {
    const report = await t.submitReport();
    const detail = await detailOf(admin, report.caseId);
    const body = await encryptMessage('internal', [...detail.noteKeys, detail.reporterPublicKey]);
    const res = await admin.post(`/api/cases/${report.caseId}/notes`, { body }).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
    expect(res.body.message).toMatch(/extra recipient/);
  });

  it('refuses a note the recovery key could not read', async () => {
    const report = await t.submitReport();
    const detail = await detailOf(admin, report.caseId);
    const body = await encryptMessage('internal', detail.noteKeys.slice(0, -1));
    expect((await admin.post(`/api/cases/${report.caseId}/notes`, { body }).expect(400)).body.message).toMatch(/missing recovery key/);
  });
});

describe('assignment', () => {
  it('assigns a case to a colleague, shows it in the inbox, and unassigns it', async () => {
    const { caseId } = await t.submitReport();
    const team = (await admin.get('/api/team/investigators').expect(200)).body.investigators;
    expect(team).toEqual(expect.arrayContaining([{ id: colleague.id, displayName: colleague.displayName }]));
    const assigned = await admin.post(`/api/cases/${caseId}/assign`, { investigatorId: colleague.id, version: 0 }).expect(200);
    expect(assigned.body).toMatchObject({ version: 1, assignee: { id: colleague.id, displayName: colleague.displayName } });
    expect((await listOf(other))[0]!.assignee?.id).toBe(colleague.id);
    await admin.post(`/api/cases/${caseId}/assign`, { investigatorId: null, version: 1 }).expect(200);
    expect((await listOf(admin))[0]!.assignee).toBeNull();
    expect(t.repos.audit.list().filter((e) => e.action === 'case.assigned').map((e) => e.detail)).toEqual([
      { investigator: colleague.id }, { investigator: null },
    ]);
  });

  it('lets only one of two investigators who opened the same version win', async () => {
    const { caseId } = await t.submitReport();
    const results = await Promise.all([
      admin.post(`/api/cases/${caseId}/assign`, { investigatorId: t.team.admin.id, version: 0 }),
      other.post(`/api/cases/${caseId}/assign`, { investigatorId: colleague.id, version: 0 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = results.find((r) => r.status === 409)!;
    expect(lost.body).toEqual({ error: 'conflict', message: expect.stringMatching(/reload/) });
    expect(t.repos.audit.list().filter((e) => e.action === 'case.assigned')).toHaveLength(1);
  });

  it('refuses a stale version after a stage change', async () => {
    const { caseId } = await t.submitReport();
    await admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(200);
    const res = await other.post(`/api/cases/${caseId}/labels`, { labels: ['wages'], version: 0 }).expect(409);
    expect(res.body.error).toBe('conflict');
  });

  it('refuses an investigator of another team', async () => {
    const { caseId } = await t.submitReport();
    const stranger = await t.addTeam({ name: 'Supplier committee' });
    const res = await admin.post(`/api/cases/${caseId}/assign`, { investigatorId: stranger.admin.id, version: 0 }).expect(400);
    expect(res.body.error).toBe('unknown_investigator');
  });
});

describe('labels, risk and outcome', () => {
  it('keeps trimmed, distinct labels in the clear and lists them', async () => {
    const { caseId } = await t.submitReport();
    await admin.post(`/api/cases/${caseId}/labels`, { labels: [' wages ', 'wages', 'line 3'], version: 0 }).expect(200);
    expect((await listOf(other))[0]!.labels).toEqual(['wages', 'line 3']);
    await admin.post(`/api/cases/${caseId}/labels`, { labels: ['x'.repeat(33)], version: 1 }).expect(400);
  });

  it('records a high risk with a rationale only the team can read', async () => {
    const report = await t.submitReport();
    const detail = await detailOf(admin, report.caseId);
    const toReporter = await encryptMessage('why', [...detail.noteKeys, detail.reporterPublicKey]);
    await admin.post(`/api/cases/${report.caseId}/risk`, { level: 'high', rationale: toReporter, version: 0 }).expect(400);
    const rationale = await encryptMessage('only two workers on that line', detail.noteKeys);
    const res = await admin.post(`/api/cases/${report.caseId}/risk`, { level: 'high', rationale, version: 0 }).expect(200);
    expect(res.body.riskLevel).toBe('high');
    expect((await listOf(other))[0]!.riskLevel).toBe('high');
    expect((await detailOf(other, report.caseId)).risk).toEqual({ level: 'high', day: '2025-03-14', by: t.team.admin.displayName, rationale });
    const status = await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200);
    expect(Object.keys(status.body).filter((k) => /risk|note|label|assign|exclu/i.test(k))).toEqual([]);
    expect(JSON.stringify(status.body)).not.toContain(rationale);
  });

  it('requires an outcome to close and lists it', async () => {
    const { caseId } = await t.submitReport();
    await admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(200);
    const res = await admin.post(`/api/cases/${caseId}/stage`, { stage: 'closed', reason: 'done' }).expect(400);
    expect(res.body.error).toBe('outcome_required');
    await admin.post(`/api/cases/${caseId}/stage`, { stage: 'closed', reason: 'done', outcome: 'referred' }).expect(200);
    expect((await listOf(admin))[0]).toMatchObject({ stage: 'closed', outcome: 'referred' });
  });
});

describe('conflict of interest', () => {
  it('hides the case from an excluded investigator everywhere, like a case that does not exist', async () => {
    const report = await t.submitReport();
    const { caseId } = report;
    await admin.post(`/api/cases/${caseId}/assign`, { investigatorId: colleague.id, version: 0 }).expect(200);
    const res = await admin.post(`/api/cases/${caseId}/exclusions`, { investigatorId: colleague.id }).expect(200);
    expect(res.body.exclusions).toEqual([{ investigatorId: colleague.id, displayName: colleague.displayName, day: '2025-03-14' }]);

    expect(await listOf(other)).toEqual([]);
    const missing = (await other.get('/api/cases/AAAAAAAAAAAAAAAAAAAAAA').expect(404)).body;
    for (const path of [`/api/cases/${caseId}`, `/api/cases/${caseId}/export`, `/api/cases/${caseId}/attachments/AAAAAAAAAAAAAAAAAAAAAA`]) {
      expect((await other.get(path).expect(404)).body).toEqual(missing);
    }
    const detail = await detailOf(admin, caseId);
    const note = await encryptMessage('n', detail.noteKeys);
    for (const [path, body] of [
      ['notes', { body: note }], ['assign', { investigatorId: null, version: 2 }], ['labels', { labels: [], version: 2 }],
      ['stage', { stage: 'acknowledged' }], ['messages', { body: note }], ['exclusions', { investigatorId: t.team.admin.id }],
    ] as const) {
      expect((await other.post(`/api/cases/${caseId}/${path}`, body).expect(404)).body).toEqual(missing);
    }
    // Unassigned by the exclusion; cannot be assigned again.
    expect(detail.case.assignee).toBeNull();
    const again = await admin.post(`/api/cases/${caseId}/assign`, { investigatorId: colleague.id, version: detail.case.version }).expect(400);
    expect(again.body.error).toBe('investigator_excluded');
    expect(t.repos.audit.list().filter((e) => e.action === 'case.excluded')).toHaveLength(1);
  });

  it('leaves the excluded investigator out of the readers of new notes', async () => {
    const { caseId } = await t.submitReport();
    await admin.post(`/api/cases/${caseId}/exclusions`, { investigatorId: colleague.id }).expect(200);
    const detail = await detailOf(admin, caseId);
    expect(detail.noteKeys).toHaveLength(detail.teamKeys.length - 1);
    expect(detail.noteKeys).not.toContain(colleague.keyPair.publicKey);
    const toAll = await encryptMessage('n', detail.teamKeys);
    expect((await admin.post(`/api/cases/${caseId}/notes`, { body: toAll }).expect(400)).body.error).toBe('wrong_recipients');
    await admin.post(`/api/cases/${caseId}/notes`, { body: await encryptMessage('n', detail.noteKeys) }).expect(201);
  });

  it('lets only administrators exclude, and nobody exclude themselves', async () => {
    const { caseId } = await t.submitReport();
    expect((await other.post(`/api/cases/${caseId}/exclusions`, { investigatorId: t.team.admin.id }).expect(403)).body.error).toBe('admin_only');
    expect((await admin.post(`/api/cases/${caseId}/exclusions`, { investigatorId: t.team.admin.id }).expect(400)).body.error)
      .toBe('cannot_exclude_self');
  });
});

describe('team deadlines', () => {
  const put = (client: InvestigatorClient, body: object) =>
    client.agent.put('/api/team/deadlines').set(json).set(CSRF_HEADER, client.session.csrfToken).send(body);

  it('lets an administrator shorten the deadlines of cases received from then on', async () => {
    const before = await t.submitReport();
    expect((await admin.get('/api/team/deadlines').expect(200)).body).toEqual({ ackDays: 7, feedbackMonths: 3 });
    expect((await put(admin, { ackDays: 5, feedbackMonths: 2 }).expect(200)).body).toEqual({ ackDays: 5, feedbackMonths: 2 });
    const after = await t.submitReport();
    const cases = await listOf(admin);
    expect(cases.find((c) => c.id === after.caseId)).toMatchObject({ acknowledgeByDay: '2025-03-19', feedbackByDay: '2025-05-19' });
    expect(cases.find((c) => c.id === before.caseId)).toMatchObject({ acknowledgeByDay: '2025-03-21' });
    expect(t.repos.audit.list().find((e) => e.action === 'team.deadlines_changed')?.detail).toEqual({ ackDays: 5, feedbackMonths: 2 });
  });

  it('refuses deadlines beyond the law, and changes by investigators', async () => {
    expect((await put(admin, { ackDays: 8, feedbackMonths: 3 }).expect(400)).body.error).toBe('invalid_request');
    expect((await put(admin, { ackDays: 7, feedbackMonths: 4 }).expect(400)).body.error).toBe('invalid_request');
    expect((await put(other, { ackDays: 3, feedbackMonths: 3 }).expect(403)).body.error).toBe('admin_only');
  });
});
