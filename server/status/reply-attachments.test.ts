import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { decryptPayload, encryptPayload, fromUtf8, utf8 } from '../../crypto/index.ts';
import type { CaseDetail, StatusView } from '../../common/api.ts';
import { createTestServer, encryptMessage, fetchSolvedPow, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

type Submitted = Awaited<ReturnType<TestServer['submitReport']>>;

const status = async (report: Submitted) =>
  (await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;

/** The keys a reporter's message goes to, as the status view lists them. */
const recipientsOf = (view: StatusView) => [...view.teamKeys, view.reporterPublicKey];

async function getTicket(): Promise<string> {
  const pow = await fetchSolvedPow(t.app);
  return (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
}

async function stage(ticket: string, text: string, recipients: string[]): Promise<string> {
  const bytes = await encryptPayload({ data: utf8(text), recipients });
  const res = await request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(bytes)).expect(201);
  return res.body.uploadId as string;
}

const reply = (report: Submitted, body: object) => request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, ...body });

/** Fetches a ciphertext download as bytes. */
const download = (test: request.Test) =>
  test.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (d: Buffer) => chunks.push(d));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('POST /api/status/messages with attachments', () => {
  it('stores a reply with its files together, listed under that message for both sides and readable by both', async () => {
    const report = await t.submitReport();
    const view = await status(report);
    const ticket = await getTicket();
    const photo = await stage(ticket, 'photo bytes', recipientsOf(view));
    const voice = await stage(ticket, 'voice bytes', recipientsOf(view));
    const body = await encryptMessage('see the photo', recipientsOf(view));
    const res = await reply(report, { body, attachments: [photo, voice], uploadTicket: ticket }).expect(201);
    expect(t.repos.uploads.stagedCount()).toBe(0);

    const after = await status(report);
    expect(after.messages).toEqual([{ id: res.body.id, from: 'reporter', day: '2025-03-14', body, attachments: [
      { id: photo, size: expect.any(Number) }, { id: voice, size: expect.any(Number) },
    ] }]);
    expect(after.attachments).toEqual([]); // the report's own files: none
    const mine = await download(request(t.app).post(`/api/status/attachments/${voice}`).set(json).send(report.credentials)).expect(200);
    expect(fromUtf8(await decryptPayload({ ciphertext: new Uint8Array(mine.body as Buffer), key: report.reporterKey.privateKey }))).toBe('voice bytes');

    const admin = await t.login(t.team.admin);
    const caseId = (await admin.get('/api/cases').expect(200)).body.cases[0].id as string;
    const detail = (await admin.get(`/api/cases/${caseId}`).expect(200)).body as CaseDetail;
    expect(detail.attachments).toEqual([]);
    expect(detail.messages[0]?.attachments?.map((a) => a.id)).toEqual([photo, voice]);
    const file = await download(admin.get(`/api/cases/${caseId}/attachments/${photo}`)).expect(200);
    expect(fromUtf8(await decryptPayload({ ciphertext: new Uint8Array(file.body as Buffer), key: t.team.admin.keyPair.privateKey }))).toBe('photo bytes');
  });

  it('refuses a file not encrypted to exactly the message’s recipients, and stores nothing', async () => {
    const report = await t.submitReport();
    const view = await status(report);
    const ticket = await getTicket();
    const good = await stage(ticket, 'photo', recipientsOf(view));
    const teamOnly = await stage(ticket, 'voice', view.teamKeys); // the reporter could not read it back
    const body = await encryptMessage('two files', recipientsOf(view));
    const res = await reply(report, { body, attachments: [good, teamOnly], uploadTicket: ticket }).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
    expect((await status(report)).messages).toEqual([]);
    expect(t.repos.uploads.stagedCount()).toBe(2);
    expect(t.repos.uploads.usage(ticket.split('.')[2]!).spent).toBe(false);
  });

  it('refuses an upload of another ticket, or one already moved to another case', async () => {
    const first = await t.submitReport();
    const second = await t.submitReport();
    const view = await status(first);
    const ticket = await getTicket();
    const other = await getTicket();
    const foreign = await stage(other, 'not mine', recipientsOf(view));
    const body = await encryptMessage('hello', recipientsOf(view));
    expect((await reply(first, { body, attachments: [foreign], uploadTicket: ticket }).expect(400)).body.error).toBe('upload_not_found');

    // The second reporter sends a file with a reply; the first cannot claim it.
    const secondView = await status(second);
    const theirs = await stage(other, 'their photo', recipientsOf(secondView));
    await reply(second, { body: await encryptMessage('mine', recipientsOf(secondView)), attachments: [theirs], uploadTicket: other }).expect(201);
    for (const uploadTicket of [other, ticket]) {
      expect((await reply(first, { body, attachments: [theirs], uploadTicket }).expect(400)).body.error).toBe('upload_not_found');
    }
    expect((await status(first)).messages).toEqual([]);
    await request(t.app).post(`/api/status/attachments/${theirs}`).set(json).send(first.credentials).expect(404);
  });

  it('asks for a valid ticket when files are listed', async () => {
    const report = await t.submitReport();
    const view = await status(report);
    const ticket = await getTicket();
    const file = await stage(ticket, 'photo', recipientsOf(view));
    const body = await encryptMessage('hello', recipientsOf(view));
    expect((await reply(report, { body, attachments: [file] }).expect(403)).body.error).toBe('upload_ticket_invalid');
    expect((await status(report)).messages).toEqual([]);
  });

  it('does not take files on the retaliation endpoint', async () => {
    const report = await t.submitReport();
    const view = await status(report);
    const ticket = await getTicket();
    const file = await stage(ticket, 'photo', recipientsOf(view));
    const body = await encryptMessage('they cut my hours', recipientsOf(view));
    const res = await request(t.app).post('/api/status/retaliation').set(json)
      .send({ ...report.credentials, body, attachments: [file], uploadTicket: ticket }).expect(400);
    expect(res.body.error).toBe('invalid_request');
  });
});
