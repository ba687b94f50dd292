import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDetail, StatusView } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import { STALE_PER_REQUEST } from '../reporter/upload-stage.ts';
import { decryptPayload, encryptPayload, fromBase64Url } from '../../crypto/index.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { createTestServer, encryptMessage, json, type InvestigatorClient, type TestServer } from '../testing.ts';

let t: TestServer;
let admin: InvestigatorClient;
beforeEach(async () => {
  t = await createTestServer();
  admin = await t.login(t.team.admin);
});
afterEach(() => t.close());

/** 0.1 s of a WAV-like sound: what the workspace's recorder would hand over. */
const SOUND = new Uint8Array(3200).map((_, i) => (i * 7) % 251);

function stage(client: InvestigatorClient, caseId: string, bytes: Uint8Array) {
  return client.agent
    .post(`/api/cases/${caseId}/voice`)
    .set('Content-Type', 'application/octet-stream')
    .set(CSRF_HEADER, client.session.csrfToken)
    .send(Buffer.from(bytes));
}

async function openCase(caseId: string) {
  const detail = (await admin.get(`/api/cases/${caseId}`).expect(200)).body as CaseDetail;
  return { detail, recipients: [...detail.teamKeys, detail.reporterPublicKey] };
}

describe('voice replies from the team', () => {
  it('attaches a voice reply to the message; the reporter fetches and decrypts it', async () => {
    const report = await t.submitReport();
    const { recipients } = await openCase(report.caseId);
    const staged = await stage(admin, report.caseId, await encryptPayload({ data: SOUND, recipients })).expect(201);
    const body = await encryptMessage('listen to this', recipients);
    await admin.post(`/api/cases/${report.caseId}/messages`, { body, voice: staged.body.uploadId }).expect(201);

    const view = (await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;
    const reply = view.messages.at(-1)!;
    expect(reply.from).toBe('team');
    expect(reply.attachments?.map((a) => a.id)).toEqual([staged.body.uploadId]);
    const file = await request(t.app).post(`/api/status/attachments/${staged.body.uploadId}`).set(json).send(report.credentials).expect(200);
    const plain = await decryptPayload({ ciphertext: new Uint8Array(file.body as Buffer), key: report.reporterKey.privateKey });
    expect([...plain]).toEqual([...SOUND]);
    expect(fromBase64Url(reply.body).length).toBeGreaterThan(0);
    expect(t.repos.uploads.stagedCount()).toBe(0);
  });

  it('refuses a voice reply the reporter could not hear, and stores nothing', async () => {
    const report = await t.submitReport();
    const { detail } = await openCase(report.caseId);
    const res = await stage(admin, report.caseId, await encryptPayload({ data: SOUND, recipients: detail.teamKeys })).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
    expect(res.body.message).toMatch(/missing the reporter key/);
    const plain = await stage(admin, report.caseId, SOUND).expect(400);
    expect(plain.body.error).toBe('not_encrypted');
    expect(t.repos.uploads.stagedCount()).toBe(0);
  });

  it('refuses a voice reply staged for another case, and writes no message', async () => {
    const first = await t.submitReport();
    const second = await t.submitReport();
    const a = await openCase(first.caseId);
    const b = await openCase(second.caseId);
    const staged = await stage(admin, first.caseId, await encryptPayload({ data: SOUND, recipients: a.recipients })).expect(201);
    const body = await encryptMessage('wrong case', b.recipients);
    const res = await admin.post(`/api/cases/${second.caseId}/messages`, { body, voice: staged.body.uploadId }).expect(400);
    expect(res.body.error).toBe('upload_not_found');
    expect(t.repos.messages.listForCase(second.caseId)).toEqual([]);
    expect(t.repos.uploads.stagedCount()).toBe(1);
  });

  it('refuses a voice reply another investigator staged', async () => {
    const colleague = await t.addInvestigator(t.team, { username: 'colleague' });
    const other = await t.login(colleague);
    const report = await t.submitReport();
    const { recipients } = await openCase(report.caseId);
    const staged = await stage(admin, report.caseId, await encryptPayload({ data: SOUND, recipients })).expect(201);
    const body = await encryptMessage('not mine', recipients);
    const res = await other.post(`/api/cases/${report.caseId}/messages`, { body, voice: staged.body.uploadId }).expect(400);
    expect(res.body.error).toBe('upload_not_found');
  });

  it('attaches a staged voice reply once only, even when 30 messages name it at once', async () => {
    const report = await t.submitReport();
    const { recipients } = await openCase(report.caseId);
    const staged = await stage(admin, report.caseId, await encryptPayload({ data: SOUND, recipients })).expect(201);
    const body = await encryptMessage('once', recipients);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => admin.post(`/api/cases/${report.caseId}/messages`, { body, voice: staged.body.uploadId })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400).every((a) => a.body.error === 'upload_not_found')).toBe(true);
    expect(t.repos.messages.listForCase(report.caseId)).toHaveLength(1);
    expect(t.repos.uploads.listForCase(report.caseId).filter((f) => f.messageId)).toHaveLength(1);
  });

  it('refuses a case of another team without storing the voice', async () => {
    const otherTeam = await t.addTeam({ name: 'Supplier committee' });
    const theirs = await t.submitReport({ channel: otherTeam.channelSlug });
    const res = await stage(admin, theirs.caseId, await encryptPayload({ data: SOUND, recipients: [theirs.reporterKey.publicKey] })).expect(404);
    expect(res.body.error).toBe('case_not_found');
    expect(t.repos.uploads.stagedCount()).toBe(0);
  });

  it('keeps at most LIMITS.voiceRepliesStaged unsent recordings per investigator, even when 30 are staged at once', async () => {
    const colleague = await t.login(await t.addInvestigator(t.team, { username: 'colleague' }));
    const report = await t.submitReport();
    const { recipients } = await openCase(report.caseId);
    const file = await encryptPayload({ data: SOUND, recipients });
    const answers = await Promise.all(Array.from({ length: 30 }, () => stage(admin, report.caseId, file)));
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(LIMITS.voiceRepliesStaged);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map((a) => `${a.status} ${a.body.error}`)).toEqual(Array(30 - LIMITS.voiceRepliesStaged).fill('429 voice_quota_exceeded'));
    expect(t.repos.uploads.stagedCount()).toBe(LIMITS.voiceRepliesStaged);
    // a colleague's quota is their own
    await stage(colleague, report.caseId, file).expect(201);
    // sending one frees its place; a stale recording is deleted and frees its place too
    const body = await encryptMessage('listen', recipients);
    await admin.post(`/api/cases/${report.caseId}/messages`, { body, voice: created[0]!.body.uploadId }).expect(201);
    await stage(admin, report.caseId, file).expect(201);
    expect((await stage(admin, report.caseId, file).expect(429)).body.error).toBe('voice_quota_exceeded');
    // Many reporters' stale uploads, older than the recordings: the request's bounded purge would not reach these.
    for (let i = 0; i < STALE_PER_REQUEST + 5; i++) {
      t.repos.uploads.putBody(`left-${i}`, new Uint8Array([1]));
      t.repos.uploads.stage({ id: `left-${i}`, ticketId: `left-ticket-${i}`, keyIds: ['aabbccddeeff0011'], size: 1, purgeAfter: t.clock.now() + i });
    }
    t.clock.advance({ hours: 3 });
    await stage(await t.login(t.team.admin), report.caseId, file).expect(201); // signed in again: the session idled out too
  });

  it('refuses a recording that would take an investigator past LIMITS.voiceRepliesStagedBytes, and stores nothing', async () => {
    const report = await t.submitReport();
    const { recipients } = await openCase(report.caseId);
    const big = await encryptPayload({ data: new Uint8Array(LIMITS.voiceRepliesStagedBytes / 2 + 1), recipients });
    await stage(admin, report.caseId, big).expect(201);
    const res = await stage(admin, report.caseId, big).expect(429);
    expect(res.body.error).toBe('voice_quota_exceeded');
    expect(t.repos.uploads.stagedCount()).toBe(1);
  });
});

