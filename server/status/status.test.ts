import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { decryptPayload, fromBase64Url, fromUtf8, randomBytes, toBase64Url } from '../../crypto/index.ts';
import type { StatusView } from '../../common/api.ts';
import { createTestServer, encryptMessage, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const status = (body: unknown) => request(t.app).post('/api/status').set(json).send(body as object);
const random32 = () => toBase64Url(randomBytes(32));

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
      'acknowledgeByDay', 'acknowledgedDay', 'closedDay', 'feedbackByDay', 'messages', 'receivedDay', 'report',
      'reporterPublicKey', 'stage', 'teamKeys', 'wrappedReporterKey',
    ]);
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
