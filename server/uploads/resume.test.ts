/**
 * Resumable uploads (server/reporter/upload-resume.ts): a file sent in parts,
 * a connection cut mid-body keeps what arrived, and every bad try — a wrong
 * offset, other content under the same upload, too many bytes, a whole that
 * is not what was declared — is refused with its own code and leaves what the
 * server held as it was. Only a complete upload can go with a report.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { decryptPayload, encryptPayload, randomBytes, utf8 } from '../../crypto/index.ts';
import { LIMITS } from '../../common/limits.ts';
import { fetchSolvedPow, json, listenTestServer, type ReportDraft, type TestServer } from '../testing.ts';

let t: TestServer & { url: string; stop(): Promise<void> };
afterEach(async () => t?.stop());

const recipientsOf = (draft: ReportDraft) => [
  ...draft.channel.teams.filter((team) => draft.body.teamIds.includes(team.id)).flatMap((team) => team.recipientKeys),
  draft.reporterKey.publicKey,
];
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function getTicket(): Promise<string> {
  const pow = await fetchSolvedPow(t.app);
  return (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
}

const open = (ticket: string, length: number, digest: string) =>
  request(t.app).post('/api/uploads/resumable').set('Content-Type', 'application/octet-stream').set('X-Ombud-Upload-Ticket', ticket)
    .set('X-Ombud-Upload-Length', String(length)).set('X-Ombud-Upload-Digest', digest);
const state = (ticket: string, id: string) => request(t.app).get(`/api/uploads/${id}`).set('X-Ombud-Upload-Ticket', ticket);
const patch = (ticket: string, id: string, offset: number, digest: string, bytes: Uint8Array) =>
  request(t.app).patch(`/api/uploads/${id}`).set('Content-Type', 'application/octet-stream').set('X-Ombud-Upload-Ticket', ticket)
    .set('X-Ombud-Upload-Offset', String(offset)).set('X-Ombud-Upload-Digest', digest).send(Buffer.from(bytes));
const piecesStored = () => (t.db.prepare('SELECT coalesce(sum(length(body)), 0) AS n FROM upload_pieces').get() as { n: number }).n;

/** A file of about `size` bytes, encrypted to the report's recipients. */
async function bigFile(draft: ReportDraft, size: number): Promise<Uint8Array> {
  return encryptPayload({ data: randomBytes(size), recipients: recipientsOf(draft) });
}

describe('resumable uploads', () => {
  it('takes a file in three parts, says what it holds after each, and the report carries it', async () => {
    t = await listenTestServer();
    const draft = await t.draftReport();
    const file = await bigFile(draft, 700_000);
    const ticket = await getTicket();
    const opened = (await open(ticket, file.length, sha(file)).expect(201)).body;
    expect(opened).toEqual({ uploadId: expect.any(String), offset: 0, length: file.length, complete: false });
    const id = opened.uploadId as string;
    const cuts = [Math.floor(file.length * 0.3), Math.floor(file.length * 0.6), file.length];
    let from = 0;
    for (const to of cuts) {
      const res = await patch(ticket, id, from, sha(file), file.subarray(from, to)).expect(200);
      expect(res.body).toEqual({ uploadId: id, offset: to, length: file.length, complete: to === file.length });
      expect((await state(ticket, id).expect(200)).body.offset).toBe(to);
      from = to;
    }
    expect(piecesStored()).toBe(0); // moved to staging whole
    await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [id], uploadTicket: ticket }).expect(201);
    const admin = await t.login(t.team.admin);
    const caseId = (await admin.get('/api/cases').expect(200)).body.cases[0].id as string;
    const stored = t.repos.uploads.body(caseId, id)!;
    expect(Buffer.from(stored).equals(Buffer.from(file))).toBe(true);
    expect((await decryptPayload({ ciphertext: stored, key: t.team.admin.keyPair.privateKey })).length).toBe(700_000);
  });

  it('keeps what arrived before the connection was cut, and the rest follows without those bytes again', async () => {
    t = await listenTestServer();
    const draft = await t.draftReport();
    const file = await bigFile(draft, 2_000_000);
    const ticket = await getTicket();
    const id = (await open(ticket, file.length, sha(file)).expect(201)).body.uploadId as string;
    let sent = 0;
    for (const cutAt of [0.3, 0.6, 0.9]) {
      const from = (await state(ticket, id).expect(200)).body.offset as number;
      const until = Math.floor(file.length * cutAt);
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${t.url}/api/uploads/${id}`, {
          method: 'PATCH',
          headers: {
            'Content-Type': 'application/octet-stream', 'Content-Length': String(file.length - from),
            'X-Ombud-Upload-Ticket': ticket, 'X-Ombud-Upload-Offset': String(from), 'X-Ombud-Upload-Digest': sha(file),
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(file.subarray(from, until), () => setTimeout(() => req.destroy(), 150));
        sent += until - from;
      });
      await expect.poll(async () => (await state(ticket, id)).body.offset, { timeout: 5_000 }).toBe(Math.floor(file.length * cutAt));
    }
    const from = (await state(ticket, id).expect(200)).body.offset as number;
    const done = await patch(ticket, id, from, sha(file), file.subarray(from)).expect(200);
    sent += file.length - from;
    expect(done.body.complete).toBe(true);
    expect(sent).toBe(file.length); // no byte was sent twice
    expect(t.repos.uploads.findStaged(id)?.size).toBe(file.length);
  });

  it('refuses bad tries with stable codes and keeps what it held', async () => {
    t = await listenTestServer();
    const draft = await t.draftReport();
    const file = await bigFile(draft, 100_000);
    const ticket = await getTicket();
    const id = (await open(ticket, file.length, sha(file)).expect(201)).body.uploadId as string;
    const half = Math.floor(file.length / 2);
    await patch(ticket, id, 0, sha(file), file.subarray(0, half)).expect(200);
    const held = () => state(ticket, id).expect(200).then((res) => res.body.offset as number);

    expect((await patch(ticket, id, half - 10, sha(file), file.subarray(half - 10)).expect(409)).body.error).toBe('upload_offset_mismatch');
    expect((await patch(ticket, id, 0, sha(file), file).expect(409)).body.error).toBe('upload_offset_mismatch');
    const other = await bigFile(draft, 100_000);
    expect((await patch(ticket, id, half, sha(other), other.subarray(half)).expect(409)).body.error).toBe('upload_changed');
    const tooMany = Buffer.concat([file.subarray(half), Buffer.alloc(5)]);
    expect((await patch(ticket, id, half, sha(file), tooMany).expect(413)).body.error).toBe('upload_length_exceeded');
    // The right length, other bytes: the whole does not match its SHA-256.
    const changed = Buffer.from(file.subarray(half));
    changed[changed.length - 1]! ^= 1;
    expect((await patch(ticket, id, half, sha(file), changed).expect(400)).body.error).toBe('upload_digest_mismatch');
    expect(await held()).toBe(half);
    // Not complete: cannot go with a report.
    const intake = await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [id], uploadTicket: ticket }).expect(400);
    expect(intake.body.error).toBe('upload_not_found');
    // Another ticket does not see it; an unknown id is unknown.
    expect((await state(await getTicket(), id).expect(404)).body.error).toBe('upload_unknown');
    expect((await state(ticket, 'A'.repeat(22)).expect(404)).body.error).toBe('upload_unknown');
    // Declared sizes: too big, nothing, not a number, no digest.
    expect((await open(ticket, LIMITS.uploadCiphertextBytes + 1, sha(file)).expect(413)).body.error).toBe('body_too_large');
    expect((await open(ticket, 0, sha(file)).expect(400)).body.error).toBe('invalid_request');
    expect((await open(ticket, 10, 'not-a-digest').expect(400)).body.error).toBe('invalid_request');
    // And the upload still completes from where it was.
    expect((await patch(ticket, id, half, sha(file), file.subarray(half)).expect(200)).body.complete).toBe(true);
  });

  it('stages only an encrypted message, and charges the ticket once per upload however often it resumes', async () => {
    t = await listenTestServer();
    const ticket = await getTicket();
    const plain = utf8('not encrypted at all, just words');
    const id = (await open(ticket, plain.length, sha(plain)).expect(201)).body.uploadId as string;
    expect((await patch(ticket, id, 0, sha(plain), plain).expect(400)).body.error).toBe('not_encrypted');
    expect(t.repos.uploads.stagedCount()).toBe(0);
    const usage = t.repos.uploads.usage(ticket.split('.')[2]!);
    expect(usage).toEqual({ uploads: 1, bytes: plain.length, spent: false });
    for (let i = 1; i < LIMITS.uploadsPerTicket; i += 1) await open(ticket, 10, sha(plain)).expect(201);
    expect((await open(ticket, 10, sha(plain)).expect(429)).body.error).toBe('upload_budget_exceeded');
  });

  it('stores a piece once when 30 tries of it arrive together', async () => {
    t = await listenTestServer();
    const draft = await t.draftReport();
    const file = await bigFile(draft, 50_000);
    const ticket = await getTicket();
    const id = (await open(ticket, file.length, sha(file)).expect(201)).body.uploadId as string;
    const answers = await Promise.all(Array.from({ length: 30 }, () => patch(ticket, id, 0, sha(file), file)));
    const codes = answers.map((res) => (res.status === 200 ? 'ok' : res.body.error));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['upload_offset_mismatch']));
    expect(t.repos.uploads.findStaged(id)?.size).toBe(file.length);
    expect(Buffer.from(t.repos.uploads.partialBody(id)).length).toBe(0);
  });
});
