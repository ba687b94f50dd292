import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptPayload, exportArmoredPrivateKey, utf8 } from '../../crypto/index.ts';
import { tempGpg } from '../../tests/support/gpg.ts';
import { createTestServer, encryptMessage, fetchSolvedPow, json, type TestServer } from '../testing.ts';
import { readZip } from './read-zip.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A case with a report, one attachment and a reply from the team, all encrypted for real. */
async function caseWithThread() {
  const draft = await t.draftReport();
  const recipients = [
    ...draft.channel.teams.filter((team) => draft.body.teamIds.includes(team.id)).flatMap((team) => team.recipientKeys),
    draft.reporterKey.publicKey,
  ];
  const pow = await fetchSolvedPow(t.app);
  const ticket = (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
  const file = await encryptPayload({ data: utf8('photo of the fire exit'), recipients });
  const uploaded = await request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(file)).expect(201);
  const attachmentId = uploaded.body.uploadId as string;
  const intake = await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [attachmentId], uploadTicket: ticket });
  expect(intake.status, JSON.stringify(intake.body)).toBe(201);
  const admin = await t.login(t.team.admin);
  const caseId = ((await admin.get('/api/cases').expect(200)).body.cases[0] as { id: string }).id;
  const detail = (await admin.get(`/api/cases/${caseId}`).expect(200)).body as { teamKeys: string[]; reporterPublicKey: string };
  const reply = await encryptMessage('We are looking into it.', [...detail.teamKeys, detail.reporterPublicKey]);
  await admin.post(`/api/cases/${caseId}/messages`, { body: reply }).expect(201);
  t.repos.notes.create({
    id: 'note-0000000000000001', caseId, investigatorId: t.team.admin.id, day: '2025-03-14',
    body: await encryptPayload({ data: utf8('Check the night-shift roster first.'), recipients: detail.teamKeys }),
  });
  return { admin, caseId, attachmentId, fileSize: file.length };
}

describe('case bundle export', () => {
  it('packs every ciphertext with a manifest that GnuPG and sha256 can check', async () => {
    const { admin, caseId, attachmentId, fileSize } = await caseWithThread();
    const res = await admin.get(`/api/cases/${caseId}/export`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ombud-case-${caseId.slice(0, 8)}.zip"`);
    const files = readZip(new Uint8Array(res.body as Buffer));
    expect([...files.keys()].sort()).toEqual(
      ['README.txt', 'manifest.json', 'report.gpg', 'messages/001-team.gpg', 'notes/001.gpg', `attachments/${attachmentId}.gpg`].sort(),
    );
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as {
      case: { id: string; stage: string }; history: { stage: string }[];
      messages: { order: number; from: string; author: string; file: string; sha256: string }[];
      notes: { order: number; author: string; file: string; sha256: string }[];
      attachments: { id: string; bytes: number; message: string | null }[];
      recipients: { kind: string; fingerprint?: string }[];
      report: { file: string; sha256: string };
    };
    expect(manifest.case).toMatchObject({ id: caseId, stage: 'received' });
    expect(manifest.history.map((h) => h.stage)).toEqual(['received']);
    expect(manifest.messages).toMatchObject([{ order: 1, from: 'team', author: t.team.admin.displayName, file: 'messages/001-team.gpg' }]);
    expect(manifest.notes).toMatchObject([{ order: 1, author: t.team.admin.displayName, file: 'notes/001.gpg' }]);
    expect(manifest.attachments).toEqual([expect.objectContaining({ id: attachmentId, bytes: fileSize, message: null })]);
    expect(manifest.recipients.map((r) => r.kind)).toEqual(['investigator', 'recovery', 'reporter']);
    expect(new TextDecoder().decode(files.get('README.txt'))).toContain('bytes 0-3     the length N');

    // Unpack to disk and check with the standard tools, as a lawyer would.
    const dir = mkdtempSync(join(tmpdir(), 'ombud-bundle-'));
    const gpg = tempGpg();
    try {
      const listed = [manifest.report, ...manifest.messages, ...manifest.notes, ...manifest.attachments.map((a) => a as unknown as { file: string; sha256: string })];
      const gpgFiles = [...files.keys()].filter((name) => name.endsWith('.gpg'));
      expect(listed.map((f) => f.file).sort()).toEqual(gpgFiles.sort());
      for (const entry of listed) {
        const path = join(dir, entry.file.replaceAll('/', '_'));
        writeFileSync(path, files.get(entry.file)!);
        expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(entry.sha256);
      }
      gpg.importKey(await exportArmoredPrivateKey(t.team.admin.keyPair.privateKey));
      const plain = (name: string) => {
        const padded = gpg.decrypt(files.get(name)!);
        const length = padded.readUInt32BE(0);
        expect(padded.length).toBeGreaterThanOrEqual(4 + length);
        return padded.subarray(4, 4 + length).toString('utf8');
      };
      expect(JSON.parse(plain('report.gpg'))).toBeTypeOf('object');
      expect(JSON.parse(plain('messages/001-team.gpg'))).toEqual({ v: 1, text: 'We are looking into it.' });
      expect(plain(`attachments/${attachmentId}.gpg`)).toBe('photo of the fire exit');
      expect(plain('notes/001.gpg')).toBe('Check the night-shift roster first.');
    } finally {
      gpg.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is recorded in the audit trail and refused to other teams', async () => {
    const { admin, caseId } = await caseWithThread();
    await admin.get(`/api/cases/${caseId}/export`).buffer(true).parse(binary).expect(200);
    const exported = t.repos.audit.list().filter((e) => e.action === 'case.exported');
    expect(exported).toEqual([expect.objectContaining({ caseId, investigatorId: t.team.admin.id, actor: 'investigator' })]);
    expect(exported[0]?.detail).toMatchObject({ files: 4 });

    const other = await t.addTeam({ name: 'Other', channelSlug: 'other' });
    const stranger = await t.login(other.admin);
    expect((await stranger.get(`/api/cases/${caseId}/export`).expect(404)).body.error).toBe('case_not_found');
    expect(t.repos.audit.list().filter((e) => e.action === 'case.exported')).toHaveLength(1);
    await request(t.app).get(`/api/cases/${caseId}/export`).expect(401);
  });
});
