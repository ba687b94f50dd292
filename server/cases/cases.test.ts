import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptPayload, fromBase64Url, fromUtf8 } from '../../crypto/index.ts';
import type { CaseDetail, StatusView } from '../../common/api.ts';
import request from 'supertest';
import { createTestServer, encryptMessage, json, type InvestigatorClient, type TestServer } from '../testing.ts';

let t: TestServer;
let admin: InvestigatorClient;
beforeEach(async () => {
  t = await createTestServer();
  admin = await t.login(t.team.admin);
});
afterEach(() => t.close());

describe('cases of my team', () => {
  it('lists the cases sent to my team, with deadlines', async () => {
    const report = await t.submitReport();
    const res = await admin.get('/api/cases').expect(200);
    expect(res.body.cases).toEqual([
      {
        id: report.caseId, teamId: t.team.id, channel: { slug: t.team.channelSlug, name: 'CSR team channel' },
        stage: 'received', receivedDay: '2025-03-14', acknowledgedDay: null, acknowledgeByDay: '2025-03-21',
        feedbackByDay: '2025-06-21', closedDay: null, lastActivityDay: '2025-03-14', awaitingReply: false,
        urgent: false, urgentDay: null, version: 0, assignee: null, labels: [], riskLevel: null, outcome: null,
      },
    ]);
  });

  it('answers the first N cases in the inbox order with the total, and the whole list when asked for all', async () => {
    const reports: Array<{ caseId: string }> = [];
    for (let i = 0; i < 3; i++) reports.push(await t.submitReport());
    t.repos.cases.markUrgent(reports[1]!.caseId, '2025-03-14');
    const all = (await admin.get('/api/cases').expect(200)).body;
    expect(all).toMatchObject({ total: 3, complete: true });
    expect(all.cases).toHaveLength(3);
    const first = (await admin.get('/api/cases?first=2').expect(200)).body;
    expect(first).toMatchObject({ total: 3, complete: false });
    // The urgent case first; then the newest (one day for all three: by id, descending).
    const rest = reports.filter((r) => r !== reports[1]).map((r) => r.caseId).sort().reverse();
    expect(first.cases.map((c: { id: string }) => c.id)).toEqual([reports[1]!.caseId, rest[0]]);
    expect(first.cases[0]).toEqual(all.cases.find((c: { id: string }) => c.id === reports[1]!.caseId));
    expect((await admin.get('/api/cases?first=3').expect(200)).body).toMatchObject({ total: 3, complete: true });
    for (const bad of ['0', '1001', '2.5', 'many', '']) {
      const res = await admin.get(`/api/cases?first=${bad}`).expect(400);
      expect(res.body.error).toBe('invalid_request');
    }
  });

  it('opens a case the investigator can decrypt, and audits the opening', async () => {
    const report = await t.submitReport();
    const res = await admin.get(`/api/cases/${report.caseId}`).expect(200);
    const detail = res.body as CaseDetail;
    const plain = await decryptPayload({ ciphertext: fromBase64Url(detail.report), key: t.team.admin.keyPair.privateKey });
    expect(fromUtf8(plain)).toContain('test report');
    expect(detail.history).toEqual([{ stage: 'received', day: '2025-03-14', reason: null, by: 'reporter' }]);
    expect(detail.teamKeys).toHaveLength(2);
    const opened = t.repos.audit.list().find((e) => e.action === 'case.opened');
    expect(opened).toMatchObject({ caseId: report.caseId, investigatorId: t.team.admin.id });
  });

  it('answers a case of another team exactly like a case that does not exist', async () => {
    const other = await t.addTeam({ name: 'Supplier committee' });
    const theirs = await t.submitReport({ channel: other.channelSlug });
    expect((await admin.get('/api/cases').expect(200)).body.cases).toEqual([]);
    const foreign = await admin.get(`/api/cases/${theirs.caseId}`).expect(404);
    const missing = await admin.get('/api/cases/AAAAAAAAAAAAAAAAAAAAAA').expect(404);
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.body.error).toBe('case_not_found');
    await admin.post(`/api/cases/${theirs.caseId}/stage`, { stage: 'acknowledged' }).expect(404);
    const body = await encryptMessage('hi', [theirs.reporterKey.publicKey]);
    await admin.post(`/api/cases/${theirs.caseId}/messages`, { body }).expect(404);
  });
});

describe('stage changes', () => {
  it('acknowledges, then moves forward, then closes with a reason', async () => {
    const { caseId } = await t.submitReport();
    t.clock.advance({ days: 2 });
    admin = await t.login(t.team.admin); // the earlier session has idled out
    const ack = await admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(200);
    expect(ack.body).toMatchObject({ stage: 'acknowledged', acknowledgedDay: '2025-03-16', feedbackByDay: '2025-06-16' });
    await admin.post(`/api/cases/${caseId}/stage`, { stage: 'investigating' }).expect(200);
    const noReason = await admin.post(`/api/cases/${caseId}/stage`, { stage: 'closed', reason: '  ', outcome: 'not_substantiated' }).expect(400);
    expect(noReason.body.error).toBe('reason_required');
    const noOutcome = await admin.post(`/api/cases/${caseId}/stage`, { stage: 'closed', reason: 'not substantiated' }).expect(400);
    expect(noOutcome.body.error).toBe('outcome_required');
    const closed = await admin
      .post(`/api/cases/${caseId}/stage`, { stage: 'closed', reason: 'not substantiated', outcome: 'not_substantiated' })
      .expect(200);
    expect(closed.body).toMatchObject({ stage: 'closed', closedDay: '2025-03-16', outcome: 'not_substantiated' });
    const back = await admin.post(`/api/cases/${caseId}/stage`, { stage: 'concluded' }).expect(409);
    expect(back.body.error).toBe('invalid_transition');
    const history = ((await admin.get(`/api/cases/${caseId}`)).body as CaseDetail).history;
    expect(history.map((h) => [h.stage, h.reason, h.by])).toEqual([
      ['received', null, 'reporter'],
      ['acknowledged', null, t.team.admin.displayName],
      ['investigating', null, t.team.admin.displayName],
      ['closed', 'not substantiated', t.team.admin.displayName],
    ]);
  });

  it('refuses to skip the acknowledgement', async () => {
    const { caseId } = await t.submitReport();
    const res = await admin.post(`/api/cases/${caseId}/stage`, { stage: 'investigating' }).expect(409);
    expect(res.body.error).toBe('invalid_transition');
  });

  it('lets only one of two simultaneous changes win', async () => {
    const { caseId } = await t.submitReport();
    const colleague = await t.login(await t.addInvestigator(t.team));
    const results = await Promise.all([
      admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }),
      colleague.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(['conflict', 'invalid_transition']).toContain(results.find((r) => r.status === 409)?.body.error);
    expect(t.repos.cases.history(caseId).filter((h) => h.stage === 'acknowledged')).toHaveLength(1);
  });

  it('answers 409 conflict when another writer changed the stage between read and write', async () => {
    const { caseId } = await t.submitReport();
    const cases = t.app.ombud.repos.cases;
    const original = cases.changeStage;
    cases.changeStage = (change) => {
      // Another server process acknowledges the case first.
      original({ ...change, investigatorId: t.team.admin.id });
      return original(change);
    };
    try {
      const res = await admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(409);
      expect(res.body.error).toBe('conflict');
    } finally {
      cases.changeStage = original;
    }
    expect(t.repos.cases.history(caseId).filter((h) => h.stage === 'acknowledged')).toHaveLength(1);
    expect(t.repos.audit.list().filter((e) => e.action === 'case.stage_changed')).toHaveLength(0);
  });

  it('shows the reporter the new stage and dates', async () => {
    const report = await t.submitReport();
    t.clock.advance({ days: 1 });
    admin = await t.login(t.team.admin);
    await admin.post(`/api/cases/${report.caseId}/stage`, { stage: 'acknowledged' }).expect(200);
    const view = (await request(t.app).post('/api/status').set(json).send(report.credentials)).body as StatusView;
    expect(view).toMatchObject({ stage: 'acknowledged', acknowledgedDay: '2025-03-15', feedbackByDay: '2025-06-15' });
  });
});

describe('team replies', () => {
  it('stores a reply the reporter can decrypt, and clears “awaiting reply”', async () => {
    const report = await t.submitReport();
    const detail = (await admin.get(`/api/cases/${report.caseId}`)).body as CaseDetail;
    const fromReporter = await encryptMessage('more details', [...detail.teamKeys, detail.reporterPublicKey]);
    await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body: fromReporter }).expect(201);
    expect((await admin.get('/api/cases')).body.cases[0].awaitingReply).toBe(true);

    const body = await encryptMessage('thank you, we are on it', [...detail.teamKeys, detail.reporterPublicKey]);
    const res = await admin.post(`/api/cases/${report.caseId}/messages`, { body }).expect(201);
    expect(res.body.day).toBe('2025-03-14');
    expect((await admin.get('/api/cases')).body.cases[0].awaitingReply).toBe(false);
    const view = (await request(t.app).post('/api/status').set(json).send(report.credentials)).body as StatusView;
    const reply = view.messages.at(-1)!;
    expect(reply.from).toBe('team');
    const plain = await decryptPayload({ ciphertext: fromBase64Url(reply.body), key: report.reporterKey.privateKey });
    expect(fromUtf8(plain)).toContain('we are on it');
  });

  it('refuses a reply the reporter could not read', async () => {
    const report = await t.submitReport();
    const detail = (await admin.get(`/api/cases/${report.caseId}`)).body as CaseDetail;
    const body = await encryptMessage('internal note', detail.teamKeys);
    const res = await admin.post(`/api/cases/${report.caseId}/messages`, { body }).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
    expect(res.body.message).toMatch(/missing the reporter key/);
  });

  it('refuses a plaintext reply', async () => {
    const report = await t.submitReport();
    const body = Buffer.from('we know who you are').toString('base64url');
    expect((await admin.post(`/api/cases/${report.caseId}/messages`, { body }).expect(400)).body.error).toBe('not_encrypted');
  });
});
