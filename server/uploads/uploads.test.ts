import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bucketSize, decryptPayload, encryptPayload, fromUtf8, utf8 } from '../../crypto/index.ts';
import { LIMITS } from '../../common/limits.ts';
import { createTestServer, fetchSolvedPow, json, type ReportDraft, type TestServer } from '../testing.ts';
import { STALE_PER_REQUEST } from '../reporter/upload-stage.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const recipientsOf = (draft: ReportDraft) => [
  ...draft.channel.teams.filter((team) => draft.body.teamIds.includes(team.id)).flatMap((team) => team.recipientKeys),
  draft.reporterKey.publicKey,
];

async function getTicket(): Promise<string> {
  const pow = await fetchSolvedPow(t.app);
  const res = await request(t.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200);
  expect(res.body).toMatchObject({ expiresInSeconds: 3600, maxUploads: LIMITS.uploadsPerTicket });
  return res.body.ticket as string;
}

function upload(ticket: string, bytes: Uint8Array) {
  return request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(bytes));
}

async function encryptedFile(draft: ReportDraft, text: string, recipients = recipientsOf(draft)): Promise<Uint8Array> {
  return encryptPayload({ data: utf8(text), recipients });
}

describe('encrypted attachments', () => {
  it('stores a report with its attachments together, readable by the team and the reporter', async () => {
    const draft = await t.draftReport();
    const ticket = await getTicket();
    const a = (await upload(ticket, await encryptedFile(draft, 'photo bytes')).expect(201)).body.uploadId as string;
    const b = (await upload(ticket, await encryptedFile(draft, 'pdf bytes')).expect(201)).body.uploadId as string;
    await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [a, b], uploadTicket: ticket }).expect(201);
    expect(t.repos.uploads.stagedCount()).toBe(0);

    const admin = await t.login(t.team.admin);
    const caseId = (await admin.get('/api/cases').expect(200)).body.cases[0].id as string;
    const detail = (await admin.get(`/api/cases/${caseId}`).expect(200)).body;
    expect(detail.attachments.map((x: { id: string }) => x.id)).toEqual([a, b]);
    const res = await admin.get(`/api/cases/${caseId}/attachments/${a}`).buffer(true)
      .parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); })
      .expect(200).expect('Content-Type', 'application/octet-stream');
    const plain = await decryptPayload({ ciphertext: new Uint8Array(res.body as Buffer), key: t.team.admin.keyPair.privateKey });
    expect(fromUtf8(plain)).toBe('photo bytes');
    expect(t.repos.audit.list().map((e) => e.action)).toContain('case.attachment_downloaded');

    const status = await request(t.app).post('/api/status').set(json).send(draft.credentials).expect(200);
    expect(status.body.attachments).toEqual(detail.attachments);
    const mine = await request(t.app).post(`/api/status/attachments/${b}`).set(json).send(draft.credentials)
      .buffer(true).parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); })
      .expect(200);
    expect(fromUtf8(await decryptPayload({ ciphertext: new Uint8Array(mine.body as Buffer), key: draft.reporterKey.privateKey }))).toBe('pdf bytes');
  });

  it('refuses a plaintext upload', async () => {
    const ticket = await getTicket();
    const res = await upload(ticket, utf8('%PDF-1.4 my name is ...')).expect(400);
    expect(res.body.error).toBe('not_encrypted');
    expect(t.repos.uploads.stagedCount()).toBe(0);
  });

  it('refuses an upload without a valid ticket', async () => {
    const draft = await t.draftReport();
    const file = await encryptedFile(draft, 'x');
    expect((await upload('u1.nonsense', file).expect(403)).body.error).toBe('upload_ticket_invalid');
    const ticket = await getTicket();
    const forged = ticket.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    expect((await upload(forged, file).expect(403)).body.error).toBe('upload_ticket_invalid');
    t.clock.advance({ minutes: 61 });
    expect((await upload(ticket, file).expect(403)).body.error).toBe('upload_ticket_expired');
  });

  it('refuses an oversized upload before reading it', async () => {
    const ticket = await getTicket();
    const res = await upload(ticket, new Uint8Array(LIMITS.uploadCiphertextBytes + 1)).expect(413);
    expect(res.body.error).toBe('body_too_large');
  });

  it('stops a ticket after its upload budget', async () => {
    const draft = await t.draftReport();
    const ticket = await getTicket();
    const file = await encryptedFile(draft, 'x');
    for (let i = 0; i < LIMITS.uploadsPerTicket; i++) await upload(ticket, file).expect(201);
    expect((await upload(ticket, file).expect(429)).body.error).toBe('upload_budget_exceeded');
  });

  it('refuses a JSON body on the upload route and raw bytes on a JSON route', async () => {
    const ticket = await getTicket();
    await request(t.app).post('/api/uploads').set(json).set('X-Ombud-Upload-Ticket', ticket).send({}).expect(415);
    await request(t.app).post('/api/status').set('Content-Type', 'application/octet-stream').send(Buffer.from('{}')).expect(415);
  });

  it('refuses a report whose attachment is encrypted to other keys, and stores nothing of it', async () => {
    const draft = await t.draftReport();
    const ticket = await getTicket();
    const other = await t.addTeam({ name: 'Other' });
    const id = (await upload(ticket, await encryptedFile(draft, 'x', [...recipientsOf(draft), other.recovery.publicKey])).expect(201))
      .body.uploadId as string;
    const res = await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [id], uploadTicket: ticket }).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
    expect(t.repos.caseLists.listForTeam(t.team.id)).toEqual([]);
    expect(t.repos.uploads.stagedCount()).toBe(1);
  });

  it('refuses an attachment uploaded with another ticket, or attached twice', async () => {
    const draft = await t.draftReport();
    const [mine, theirs] = [await getTicket(), await getTicket()];
    const id = (await upload(theirs, await encryptedFile(draft, 'x')).expect(201)).body.uploadId as string;
    const res = await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [id], uploadTicket: mine }).expect(400);
    expect(res.body.error).toBe('upload_not_found');
    const noTicket = await t.draftReport();
    expect((await request(t.app).post('/api/intake').set(json).send({ ...noTicket.body, attachments: [id] }).expect(403)).body.error)
      .toBe('upload_ticket_invalid');
  });

  it('refuses another team’s investigator and an unknown attachment with 404', async () => {
    const draft = await t.draftReport();
    const ticket = await getTicket();
    const id = (await upload(ticket, await encryptedFile(draft, 'x')).expect(201)).body.uploadId as string;
    await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [id], uploadTicket: ticket }).expect(201);
    const caseId = t.repos.caseLists.listForTeam(t.team.id)[0]!.id;
    const other = await t.addTeam({ name: 'Other' });
    const stranger = await t.login(other.admin);
    expect((await stranger.get(`/api/cases/${caseId}/attachments/${id}`).expect(404)).body.error).toBe('case_not_found');
    const admin = await t.login(t.team.admin);
    expect((await admin.get(`/api/cases/${caseId}/attachments/${'A'.repeat(22)}`).expect(404)).body.error).toBe('attachment_not_found');
    const wrong = { ...draft.credentials, verifier: 'B'.repeat(43) };
    expect((await request(t.app).post(`/api/status/attachments/${id}`).set(json).send(wrong).expect(404)).body.error).toBe('case_not_found');
  });

  it('deletes staged uploads that were never sent, hours after their ticket expired', async () => {
    const draft = await t.draftReport();
    const ticket = await getTicket();
    await upload(ticket, await encryptedFile(draft, 'x')).expect(201);
    t.clock.advance({ hours: 3 });
    await upload(await getTicket(), await encryptedFile(draft, 'y')).expect(201);
    expect(t.repos.uploads.stagedCount()).toBe(1);
  });

  it('clears a few stale tickets per request, the oldest first, however many were left behind', async () => {
    const draft = await t.draftReport();
    const now = t.clock.now();
    for (let i = 0; i < STALE_PER_REQUEST + 5; i++) {
      t.repos.uploads.putBody(`left-${i}`, new Uint8Array([1]));
      t.repos.uploads.stage({ id: `left-${i}`, ticketId: `left-ticket-${i}`, keyIds: ['aabbccddeeff0011'], size: 1, purgeAfter: now - 1_000 + i });
    }
    const ticket = await getTicket(); // clears STALE_PER_REQUEST of them
    expect(t.repos.uploads.stagedCount()).toBe(5);
    await upload(ticket, await encryptedFile(draft, 'x')).expect(201); // clears the last five, keeps its own
    expect(t.repos.uploads.stagedCount()).toBe(1);
  });

  it('has room for a largest file padded to its bucket, to 64 recipients', () => {
    const perRecipient = 100; // a v3 PKESK for Curve25519 ECDH is ~94 bytes
    expect(bucketSize(LIMITS.attachmentBytes + 4) + LIMITS.recipientsPerMessage * perRecipient + 64)
      .toBeLessThanOrEqual(LIMITS.uploadCiphertextBytes);
    expect(bucketSize(LIMITS.attachmentsTotalBytes + 4) + LIMITS.attachmentsPerReport * LIMITS.recipientsPerMessage * perRecipient)
      .toBeLessThanOrEqual(LIMITS.uploadsTotalCiphertextBytes);
  });
});
