import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { decryptPayload, fromBase64Url, fromUtf8, randomBytes, toBase64Url } from '../../crypto/index.ts';
import type { CaseDetail, CaseList, StatusView } from '../../common/api.ts';
import { createTestServer, encryptMessage, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const status = (body: unknown) => request(t.app).post('/api/status').set(json).send(body as object);
const random32 = () => toBase64Url(randomBytes(32));

describe('the status binding (protocol v2)', () => {
  const binding = (n: number) => `${toBase64Url(randomBytes(40 + n))}.${toBase64Url(randomBytes(32))}`;

  it('is stored opaque at intake and given back in the status view', async () => {
    const sent = binding(1);
    const report = await t.submitReport({ statusBinding: sent });
    const view = (await status(report.credentials).expect(200)).body as StatusView;
    expect(view.statusBinding).toBe(sent);
  });

  it('binds a case made before v2 once, with its key wrapped anew; a second bind is refused and changes nothing', async () => {
    const report = await t.submitReport();
    const first = binding(2);
    const wrapped = toBase64Url(randomBytes(120));
    const bound = await request(t.app).post('/api/status/bind').set(json)
      .send({ ...report.credentials, statusBinding: first, wrappedReporterKey: wrapped }).expect(200);
    expect((bound.body as StatusView).statusBinding).toBe(first);
    const again = await request(t.app).post('/api/status/bind').set(json)
      .send({ ...report.credentials, statusBinding: binding(3), wrappedReporterKey: toBase64Url(randomBytes(120)) }).expect(409);
    expect(again.body.error).toBe('already_bound');
    const view = (await status(report.credentials).expect(200)).body as StatusView;
    expect([view.statusBinding, view.wrappedReporterKey]).toEqual([first, wrapped]);
  });

  it('refuses to bind a case made with a binding, a wrong verifier, and a binding that is not one', async () => {
    const report = await t.submitReport({ statusBinding: binding(4) });
    const body = { ...report.credentials, statusBinding: binding(5), wrappedReporterKey: toBase64Url(randomBytes(120)) };
    expect((await request(t.app).post('/api/status/bind').set(json).send(body).expect(409)).body.error).toBe('already_bound');
    await request(t.app).post('/api/status/bind').set(json).send({ ...body, verifier: random32() }).expect(404);
    const old = await t.submitReport();
    await request(t.app).post('/api/status/bind').set(json).send({ ...old.credentials, statusBinding: 'no dot', wrappedReporterKey: 'abc' }).expect(400);
    expect(((await status(old.credentials).expect(200)).body as StatusView).statusBinding).toBeNull();
  });
});

describe('POST /api/status', () => {
  it('shows the reporter their case: stage, dates, ciphertexts, keys', async () => {
    const report = await t.submitReport();
    const res = await status(report.credentials).expect(200);
    const view = res.body as StatusView;
    expect(view).toMatchObject({
      stage: 'received', receivedDay: '2025-03-14', acknowledgedDay: null, acknowledgeByDay: '2025-03-21',
      feedbackByDay: '2025-06-21', closedDay: null, messages: [], wrappedReporterKey: report.body.wrappedReporterKey,
    });
    expect(Object.keys(view).sort()).toEqual([
      'acknowledgeByDay', 'acknowledgedDay', 'attachments', 'closedDay', 'feedbackByDay', 'messages', 'receivedDay', 'report',
      'reporterPublicKey', 'satisfactionGiven', 'stage', 'statusBinding', 'teamKeys', 'teams', 'wrappedReporterKey',
    ]);
    // Protocol v2: the teams as the page checks them (recovery key, investigator keys) and no binding from an old form.
    expect(view.statusBinding).toBeNull();
    expect(view.teams).toEqual([{ id: report.body.teamIds[0], recoveryKey: expect.stringContaining('PGP PUBLIC KEY'), investigatorKeys: [expect.any(String)] }]);
    expect([...view.teams[0]!.investigatorKeys, view.teams[0]!.recoveryKey]).toEqual(view.teamKeys);
    expect(view.teamKeys).toHaveLength(2); // the admin and the recovery key
    const plain = await decryptPayload({ ciphertext: fromBase64Url(view.report), key: report.reporterKey.privateKey });
    expect(fromUtf8(plain)).toContain('test report');
  });

  it('gives the same 404 for a wrong verifier as for an unknown case', async () => {
    const report = await t.submitReport();
    const wrongVerifier = await status({ ...report.credentials, verifier: random32() }).expect(404);
    const unknown = await status({ lookupId: random32(), verifier: random32() }).expect(404);
    expect(wrongVerifier.body).toEqual(unknown.body);
    expect(wrongVerifier.body).toEqual({ error: 'case_not_found', message: 'no case matches this token' });
  });

  it('slows a client after ten failures, but never the owner of the case', async () => {
    const report = await t.submitReport();
    for (let i = 0; i < 10; i += 1) await status({ lookupId: random32(), verifier: random32() }).expect(404);
    await status({ lookupId: random32(), verifier: random32() }).expect(404); // the 11th failure starts a block
    const blocked = await status({ lookupId: random32(), verifier: random32() }).expect(429);
    expect(blocked.body.error).toBe('too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await status(report.credentials).expect(200);
    t.clock.advance({ minutes: 20 });
    await status({ lookupId: random32(), verifier: random32() }).expect(404);
  });

  it('refuses credentials of the wrong shape without touching the database', async () => {
    const res = await status({ lookupId: 'short', verifier: random32() }).expect(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toMatch(/^lookupId: /);
  });
});

describe('POST /api/status/messages', () => {
  it('stores a reporter message encrypted to the team and the reporter, dated to the day', async () => {
    const report = await t.submitReport();
    const view = (await status(report.credentials)).body as StatusView;
    t.clock.advance({ days: 2, hours: 5 });
    const body = await encryptMessage('they threatened me', [...view.teamKeys, view.reporterPublicKey]);
    const res = await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body }).expect(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), day: '2025-03-16' });
    const after = (await status(report.credentials)).body as StatusView;
    expect(after.messages).toEqual([{ id: res.body.id, from: 'reporter', day: '2025-03-16', body }]);
    // Reporter events wait for the daily batch (server/audit/timing.test.ts); sealed here as the next day would.
    expect(t.repos.audit.list().filter((e) => e.actor === 'reporter')).toEqual([]);
    t.repos.audit.sealPending('2025-03-17');
    const audit = t.repos.audit.list().filter((e) => e.actor === 'reporter');
    expect(audit.map((e) => [e.action, e.day, e.at])).toEqual([
      ['case.received', '2025-03-14', null],
      ['case.reporter_wrote', '2025-03-16', null],
    ]);
  });

  it('refuses a message the team cannot read', async () => {
    const report = await t.submitReport();
    const body = await encryptMessage('hello', [report.reporterKey.publicKey]);
    const res = await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body }).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
  });

  it('refuses a message with wrong credentials as if the case did not exist', async () => {
    const report = await t.submitReport();
    const body = await encryptMessage('hello', [report.reporterKey.publicKey]);
    const res = await request(t.app).post('/api/status/messages').set(json)
      .send({ ...report.credentials, verifier: random32(), body }).expect(404);
    expect(res.body.error).toBe('case_not_found');
  });
});

describe('POST /api/status/retaliation', () => {
  it('stores the encrypted report of retaliation, marks the case urgent for the team and audits it', async () => {
    const report = await t.submitReport();
    const view = (await status(report.credentials)).body as StatusView;
    t.clock.advance({ days: 3 });
    const body = await encryptMessage('my supervisor cut my hours', [...view.teamKeys, view.reporterPublicKey]);
    const res = await request(t.app).post('/api/status/retaliation').set(json).send({ ...report.credentials, body }).expect(201);
    expect(res.body.day).toBe('2025-03-17');
    const after = (await status(report.credentials)).body as StatusView;
    expect(after.messages).toEqual([{ id: res.body.id, from: 'reporter', day: '2025-03-17', body }]);

    const team = await t.login(t.team.admin);
    const { cases } = (await team.get('/api/cases').expect(200)).body as CaseList;
    expect(cases.map((c) => [c.id, c.urgent, c.urgentDay])).toEqual([[report.caseId, true, '2025-03-17']]);
    const detail = (await team.get(`/api/cases/${report.caseId}`).expect(200)).body as CaseDetail;
    expect(detail.case.urgent).toBe(true);
    t.repos.audit.sealPending('2025-03-18'); // the next day's batch
    const audit = t.repos.audit.list().filter((e) => e.actor === 'reporter').map((e) => [e.action, e.day, e.at]);
    expect(audit).toContainEqual(['case.retaliation_reported', '2025-03-17', null]);
  });

  it('keeps the first day a case became urgent', async () => {
    const report = await t.submitReport();
    const view = (await status(report.credentials)).body as StatusView;
    const send = async () => {
      const body = await encryptMessage('again', [...view.teamKeys, view.reporterPublicKey]);
      await request(t.app).post('/api/status/retaliation').set(json).send({ ...report.credentials, body }).expect(201);
    };
    await send();
    t.clock.advance({ days: 5 });
    await send();
    expect(t.repos.cases.followUp(report.caseId).urgentDay).toBe('2025-03-14');
  });

  it('leaves a case that never had retaliation reported not urgent', async () => {
    const report = await t.submitReport();
    const team = await t.login(t.team.admin);
    const { cases } = (await team.get('/api/cases').expect(200)).body as CaseList;
    expect(cases.map((c) => [c.id, c.urgent, c.urgentDay])).toEqual([[report.caseId, false, null]]);
  });

  it('refuses a retaliation report the team cannot read, and does not mark the case', async () => {
    const report = await t.submitReport();
    const body = await encryptMessage('hello', [report.reporterKey.publicKey]);
    const res = await request(t.app).post('/api/status/retaliation').set(json).send({ ...report.credentials, body }).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
    expect(t.repos.cases.followUp(report.caseId).urgentDay).toBeNull();
  });

  it('answers wrong credentials as if the case did not exist', async () => {
    const report = await t.submitReport();
    const body = await encryptMessage('hello', [report.reporterKey.publicKey]);
    const res = await request(t.app).post('/api/status/retaliation').set(json)
      .send({ ...report.credentials, verifier: random32(), body }).expect(404);
    expect(res.body.error).toBe('case_not_found');
  });
});

describe('POST /api/status/satisfaction', () => {
  async function closeCase(caseId: string): Promise<void> {
    const team = await t.login(t.team.admin);
    await team.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(200);
    await team.post(`/api/cases/${caseId}/stage`, { stage: 'closed', reason: 'resolved', outcome: 'substantiated' }).expect(200);
  }
  const answer = async (report: Awaited<ReturnType<TestServer['submitReport']>>) => {
    const view = (await status(report.credentials)).body as StatusView;
    const body = await encryptMessage('fine', [...view.teamKeys, view.reporterPublicKey]);
    return request(t.app).post('/api/status/satisfaction').set(json).send({ ...report.credentials, body });
  };

  it('refuses an answer before the case is closed', async () => {
    const report = await t.submitReport();
    const res = await answer(report);
    expect([res.status, res.body.error]).toEqual([409, 'case_not_closed']);
    expect(((await status(report.credentials)).body as StatusView).messages).toEqual([]);
  });

  it('accepts one answer after closure, and only one', async () => {
    const report = await t.submitReport();
    await closeCase(report.caseId);
    expect(((await status(report.credentials)).body as StatusView).satisfactionGiven).toBe(false);
    expect((await answer(report)).status).toBe(201);
    const after = (await status(report.credentials)).body as StatusView;
    expect(after.satisfactionGiven).toBe(true);
    expect(after.messages).toHaveLength(1);
    const again = await answer(report);
    expect([again.status, again.body.error]).toEqual([409, 'already_answered']);
    expect(((await status(report.credentials)).body as StatusView).messages).toHaveLength(1);
    t.repos.audit.sealPending('9999-12-31'); // every day's batch
    expect(t.repos.audit.list().filter((e) => e.action === 'case.satisfaction_given')).toHaveLength(1);
  });

  it('of 30 answers sent at once, stores one and refuses the others with already_answered, the same ciphertext resent too', async () => {
    const report = await t.submitReport();
    await closeCase(report.caseId);
    const view = (await status(report.credentials)).body as StatusView;
    const bodies = await Promise.all(Array.from({ length: 15 }, (_, i) => encryptMessage(`answer ${i}`, [...view.teamKeys, view.reporterPublicKey])));
    // 15 distinct answers, and each of them sent twice (a lost answer resent by the page)
    const sends = [...bodies, ...bodies].map((body) =>
      request(t.app).post('/api/status/satisfaction').set(json).send({ ...report.credentials, body }));
    const results = await Promise.all(sends);
    const codes = results.map((r) => (r.status === 201 ? 201 : `${r.status} ${r.body.error}`));
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c !== 201).every((c) => c === '409 already_answered')).toBe(true);
    const after = (await status(report.credentials)).body as StatusView;
    expect(after.messages).toHaveLength(1);
    // the resend of the stored answer itself, later: refused, nothing stored twice
    const stored = results.find((r) => r.status === 201)!;
    const resend = await request(t.app).post('/api/status/satisfaction').set(json)
      .send({ ...report.credentials, body: [...bodies, ...bodies][results.indexOf(stored)] });
    expect([resend.status, resend.body.error]).toEqual([409, 'already_answered']);
    expect(((await status(report.credentials)).body as StatusView).messages).toHaveLength(1);
    t.repos.audit.sealPending('9999-12-31');
    expect(t.repos.audit.list().filter((e) => e.action === 'case.satisfaction_given')).toHaveLength(1);
  });

});

describe('reporter messages of other kinds', () => {
  it('go through the ordinary message endpoint without marking the case', async () => {
    // meeting requests and answers to transcripts: the kind is inside the ciphertext only
    const report = await t.submitReport();
    const view = (await status(report.credentials)).body as StatusView;
    const body = await encryptMessage('{"kind":"meeting_request"}', [...view.teamKeys, view.reporterPublicKey]);
    await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body }).expect(201);
    expect(t.repos.cases.followUp(report.caseId)).toEqual({ urgentDay: null, satisfactionGiven: false });
  });
});
