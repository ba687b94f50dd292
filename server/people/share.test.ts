import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { CaseDetail, SharePage, StatusView } from '../../common/api.ts';
import {
  decryptPayload, encryptPayload, fromBase64Url, fromUtf8, inspectMessage, rewrapSessionKey, toBase64Url, utf8, type UnlockedKey,
} from '../../crypto/index.ts';
import { createTestServer, encryptMessage, fetchSolvedPow, json, type InvestigatorClient, type TestInvestigator, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const download = (test: request.Test) =>
  test.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (d: Buffer) => chunks.push(d));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

/** A case with every kind of ciphertext: report, a reporter's message with a file, a reply, a note, a risk rationale; and the index key. */
async function busyCase(admin: InvestigatorClient) {
  const report = await t.submitReport();
  const view = (await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;
  const to = [...view.teamKeys, view.reporterPublicKey];
  const pow = await fetchSolvedPow(t.app);
  const ticket = (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
  const file = await encryptPayload({ data: utf8('photo of the fire exit'), recipients: to });
  const upload = (await request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(file)).expect(201)).body.uploadId as string;
  await request(t.app).post('/api/status/messages').set(json)
    .send({ ...report.credentials, body: await encryptMessage('see the photo', to), attachments: [upload], uploadTicket: ticket }).expect(201);
  const detail = (await admin.get(`/api/cases/${report.caseId}`).expect(200)).body as CaseDetail;
  await admin.post(`/api/cases/${report.caseId}/messages`, { body: await encryptMessage('thank you', [...detail.teamKeys, detail.reporterPublicKey]) }).expect(201);
  await admin.post(`/api/cases/${report.caseId}/notes`, { body: await encryptMessage('internal note', detail.noteKeys) }).expect(201);
  await admin.post(`/api/cases/${report.caseId}/risk`, { level: 'high', rationale: await encryptMessage('rationale', detail.noteKeys), version: detail.case.version }).expect(200);
  const index = (await admin.get('/api/team/index-key').expect(200)).body as { recipientKeys: string[] };
  const sealed = await encryptPayload({ data: new Uint8Array(32).fill(7), recipients: index.recipientKeys });
  await request(t.app).put('/api/team/index-key').set(json).set('x-ombud-csrf', admin.session.csrfToken).set('Cookie', `ombud_session=${admin.cookie}`)
    .send({ version: 0, sealed: toBase64Url(sealed) }).expect(200);
  return { caseId: report.caseId, upload };
}

async function pages(admin: InvestigatorClient, memberId: string): Promise<SharePage['items']> {
  const items: SharePage['items'] = [];
  let after = '';
  for (;;) {
    const page = (await admin.get(`/api/team/members/${memberId}/share?after=${after}`).expect(200)).body as SharePage;
    items.push(...page.items);
    if (page.next === null) return items;
    after = page.next;
  }
}

async function shareAll(admin: InvestigatorClient, member: TestInvestigator, key: UnlockedKey) {
  const items = await pages(admin, member.id);
  const withPackets = await Promise.all(items.map(async (item) => ({
    kind: item.kind, id: item.id,
    pkesk: toBase64Url(await rewrapSessionKey({ header: fromBase64Url(item.header), key, recipientPublicKey: member.keyPair.publicKey })),
  })));
  return { items, result: (await admin.post(`/api/team/members/${member.id}/share`, { items: withPackets }).expect(200)).body };
}

describe('giving a newcomer access to earlier cases', () => {
  it('lists every ciphertext the newcomer cannot read, by key packets only, and after sharing they read all of it', async () => {
    const admin = await t.login(t.team.admin);
    const { caseId, upload } = await busyCase(admin);
    const newcomer = await t.addInvestigator(t.team);
    const before = t.repos.cases.find(caseId)!.report.length;

    const { items, result } = await shareAll(admin, newcomer, t.team.admin.keyPair.privateKey);
    expect(items.map((i) => i.kind).sort()).toEqual(['attachment', 'index_key', 'message', 'message', 'note', 'report', 'risk']);
    for (const item of items) expect(fromBase64Url(item.header).length).toBeLessThan(600); // never the encrypted data
    expect(result).toEqual({ shared: 7, skipped: 0 });
    expect(t.repos.cases.find(caseId)!.report.length).toBeGreaterThan(before);

    const mine = await t.login(newcomer);
    const key = newcomer.keyPair.privateKey;
    const detail = (await mine.get(`/api/cases/${caseId}`).expect(200)).body as CaseDetail;
    const open = async (b64: string) => fromUtf8(await decryptPayload({ ciphertext: fromBase64Url(b64), key }));
    expect(await open(detail.report)).toContain('test report');
    expect(detail.messages).toHaveLength(2);
    for (const message of detail.messages) expect(await open(message.body)).toMatch(/see the photo|thank you/);
    expect(await open(detail.notes[0]!.body)).toContain('internal note');
    expect(await open(detail.risk!.rationale)).toContain('rationale');
    const file = await download(mine.get(`/api/cases/${caseId}/attachments/${upload}`)).expect(200);
    expect(fromUtf8(await decryptPayload({ ciphertext: new Uint8Array(file.body as Buffer), key }))).toBe('photo of the fire exit');
    const index = (await mine.get('/api/team/index-key').expect(200)).body as { key: { sealed: string }; current: boolean };
    expect(index.current).toBe(true); // sealed to exactly the team's keys again
    expect(await decryptPayload({ ciphertext: fromBase64Url(index.key.sealed), key })).toEqual(new Uint8Array(32).fill(7));
    // The old readers still read; nothing is left to share; the audit says how many, never what.
    expect(fromUtf8(await decryptPayload({ ciphertext: t.repos.cases.find(caseId)!.report, key: t.team.recovery.privateKey }))).toContain('test report');
    expect(await pages(admin, newcomer.id)).toEqual([]);
    const audit = t.repos.audit.list().filter((e) => e.action === 'team.cases_shared');
    expect(audit.map((e) => e.detail)).toEqual([{ member: newcomer.id, shared: 7, skipped: 0 }]);
  });

  it('shares with the recovery key too, and sharing twice is skipped', async () => {
    const admin = await t.login(t.team.admin);
    await t.submitReport();
    const newcomer = await t.addInvestigator(t.team);
    const items = await pages(admin, newcomer.id);
    const packet = toBase64Url(await rewrapSessionKey({ header: fromBase64Url(items[0]!.header), key: t.team.recovery.privateKey, recipientPublicKey: newcomer.keyPair.publicKey }));
    const body = { items: [{ kind: items[0]!.kind, id: items[0]!.id, pkesk: packet }] };
    expect((await admin.post(`/api/team/members/${newcomer.id}/share`, body).expect(200)).body).toEqual({ shared: 1, skipped: 0 });
    expect((await admin.post(`/api/team/members/${newcomer.id}/share`, body).expect(200)).body).toEqual({ shared: 0, skipped: 1 });
  });

  it('refuses a key packet to another key, a forged packet, and an item of another team — and writes nothing', async () => {
    const admin = await t.login(t.team.admin);
    const { caseId } = await t.submitReport();
    const newcomer = await t.addInvestigator(t.team);
    const other = await t.addTeam({ name: 'Supplier committee' });
    const theirs = await t.submitReport({ channel: other.channelSlug });
    const [item] = await pages(admin, newcomer.id);
    const header = fromBase64Url(item!.header);
    const good = toBase64Url(await rewrapSessionKey({ header, key: t.team.admin.keyPair.privateKey, recipientPublicKey: newcomer.keyPair.publicKey }));
    const toAdmin = toBase64Url(await rewrapSessionKey({ header, key: t.team.admin.keyPair.privateKey, recipientPublicKey: other.admin.keyPair.publicKey }));
    const stored = t.repos.cases.find(caseId)!.report;
    const share = (items: unknown[]) => admin.post(`/api/team/members/${newcomer.id}/share`, { items });

    expect((await share([{ kind: 'report', id: caseId, pkesk: toAdmin }]).expect(400)).body.error).toBe('invalid_key_packet');
    const forged = fromBase64Url(good);
    forged[2] = 6; // a v6 packet
    expect((await share([{ kind: 'report', id: caseId, pkesk: toBase64Url(forged) }]).expect(400)).body.error).toBe('invalid_key_packet');
    expect((await share([{ kind: 'report', id: caseId, pkesk: toBase64Url(stored.subarray(0, 200)) }]).expect(400)).body.error).toBe('invalid_key_packet');
    const res = await share([{ kind: 'report', id: caseId, pkesk: good }, { kind: 'report', id: theirs.caseId, pkesk: good }]).expect(404);
    expect(res.body.error).toBe('item_not_found');
    expect(t.repos.cases.find(caseId)!.report).toEqual(stored); // the good first item was not written either
    expect(inspectMessage(t.repos.cases.find(theirs.caseId)!.report).ok).toBe(true);
    expect(t.repos.audit.list().some((e) => e.action === 'team.cases_shared')).toBe(false);
  });

  it('is for administrators of the member’s team, for admitted members, and leaves out cases either is excluded from', async () => {
    const admin = await t.login(t.team.admin);
    const colleague = await t.addInvestigator(t.team);
    const excludedCase = await t.submitReport();
    const openCase = await t.submitReport();
    const newcomer = await t.addInvestigator(t.team);
    await admin.post(`/api/cases/${excludedCase.caseId}/exclusions`, { investigatorId: newcomer.id }).expect((r) => expect(r.status).toBeLessThan(300));
    const listed = await pages(admin, newcomer.id);
    expect(listed.map((i) => i.id)).toEqual([openCase.caseId]);

    const plain = await t.login(colleague);
    expect((await plain.get(`/api/team/members/${newcomer.id}/share`).expect(403)).body.error).toBe('admin_only');
    const other = await t.addTeam({ name: 'Other' });
    const stranger = await t.login(other.admin);
    expect((await stranger.get(`/api/team/members/${newcomer.id}/share`).expect(404)).body.error).toBe('member_not_found');
    const pending = await t.addInvestigator(t.team, { admitted: false });
    expect((await admin.get(`/api/team/members/${pending.id}/share`).expect(409)).body.error).toBe('not_admitted');
    t.repos.investigators.setDisabled(newcomer.id, true);
    expect((await admin.get(`/api/team/members/${newcomer.id}/share`).expect(409)).body.error).toBe('member_disabled');
    expect((await admin.get(`/api/team/members/${colleague.id}/share?after=nonsense`).expect(400)).body.error).toBe('invalid_request');
  });

  it('counts every ciphertext, and carries on after the cursor a previous page stopped at', async () => {
    const admin = await t.login(t.team.admin);
    for (let i = 0; i < 3; i++) await t.submitReport();
    const newcomer = await t.addInvestigator(t.team);
    const first = (await admin.get(`/api/team/members/${newcomer.id}/share`).expect(200)).body as SharePage;
    expect(first).toMatchObject({ total: 3, scanned: 3, next: null, recipientPublicKey: newcomer.keyPair.publicKey });
    const ids = first.items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
    // A cursor as a page that stopped after the first report (kind 1 = report) gives the other two.
    const rest = (await admin.get(`/api/team/members/${newcomer.id}/share?after=1.1.${ids[0]}`).expect(200)).body as SharePage;
    expect(rest.items.map((i) => i.id)).toEqual(ids.slice(1));
    expect(rest.scanned).toBe(3);
  });
});
