/**
 * The purge really deletes: a closed case past its retention goes with every
 * ciphertext of it, and not one 32-byte slice of those ciphertexts is left in
 * the bytes of ombud.db, ombud.db-wal or ombud.db-shm, nor of the files' file
 * beside it (ombud-files.db and its -wal and -shm), where the files' bodies lie.
 */
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptPayload, randomBytes, utf8 } from '../../crypto/index.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';
import { dayOf } from '../clock.ts';
import { randomId } from '../security/secrets.ts';
import { purgeExpired } from './purge.ts';
import { filesPathFor } from '../../db/database.ts';

const dirs: string[] = [];
const servers: TestServer[] = [];
afterEach(() => {
  servers.splice(0).forEach((s) => s.db.open && s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function fileServer(): Promise<{ t: TestServer; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-purge-'));
  dirs.push(dir);
  const path = join(dir, 'ombud.db');
  const t = await createTestServer({ dbPath: path });
  servers.push(t);
  return { t, path };
}

/** Every 32-byte window of the secrets, indexed by its first 8 bytes: [secret, offset]. */
function windows(secrets: Uint8Array[]): Map<bigint, [Buffer, number][]> {
  const index = new Map<bigint, [Buffer, number][]>();
  for (const secret of secrets) {
    const view = Buffer.from(secret);
    for (let i = 0; i + 32 <= view.length; i += 1) {
      const key = view.readBigUInt64LE(i);
      const list = index.get(key);
      if (list) list.push([view, i]);
      else index.set(key, [[view, i]]);
    }
  }
  return index;
}

/** How many offsets of the database's files (and its files' file's: db/database.ts attachFiles) hold a 32-byte slice of one of the secrets. */
function scan(path: string, secrets: Uint8Array[]): number {
  const index = windows(secrets);
  let found = 0;
  for (const name of [path, filesPathFor(path)].flatMap((p) => ['', '-wal', '-shm'].map((suffix) => p + suffix))) {
    if (!existsSync(name)) continue;
    const file = readFileSync(name);
    for (let i = 0; i + 32 <= file.length; i += 1) {
      const starts = index.get(file.readBigUInt64LE(i));
      if (starts?.some(([s, start]) => file.compare(s, start, start + 32, i, i + 32) === 0)) found += 1;
    }
  }
  return found;
}

/** A case with a report, a big attachment, a reply with a file, a note, a risk rationale, an index entry; closed today. */
async function richCase(t: TestServer) {
  const draft = await t.draftReport({ plaintext: utf8(JSON.stringify({ v: 1, what: `CANARY-${randomId()} the line lead hits people` })) });
  await request(t.app).post('/api/intake').set(json).send(draft.body).expect(201);
  const record = t.repos.cases.findByLookupHash(t.app.ombud.keys.hmacHex('lookup', draft.credentials.lookupId))!;
  const teamKeys = draft.channel.teams[0]!.recipientKeys;
  const enc = (data: Uint8Array) => encryptPayload({ data, recipients: teamKeys });
  const attachment = await enc(randomBytes(300_000));
  const replyFile = await enc(randomBytes(40_000));
  const message = await enc(utf8('we are looking into it'));
  const note = await enc(utf8('internal note'));
  const rationale = await enc(utf8('risk rationale'));
  const indexEntry = randomBytes(512);
  const day = dayOf(t.clock.now());
  const admin = t.team.admin.id;
  const ticketId = randomId();
  const messageId = randomId();
  const files = ([[attachment, null], [replyFile, messageId]] as const).map(([body, msg]) => ({ id: randomId(), body, msg }));
  for (const f of files) t.repos.uploads.putBody(f.id, f.body);
  t.repos.transaction(() => {
    t.repos.messages.create({ id: messageId, caseId: record.id, author: 'team', investigatorId: admin, day, body: message });
    for (const { id, body, msg } of files) {
      t.repos.uploads.stage({ id, ticketId, keyIds: [], size: body.length, purgeAfter: t.clock.now() + 3_600_000 });
      t.repos.uploads.attach(id, record.id, msg);
    }
    t.repos.notes.create({ id: randomId(), caseId: record.id, investigatorId: admin, day, body: note });
    t.repos.caseWork.setRisk(record.id, { level: 'high', rationale, day, investigatorId: admin }, 0);
    t.repos.caseIndex.putEntry(record.id, t.team.id, 1, indexEntry);
    for (const to of ['acknowledged', 'closed'] as const) {
      const from = t.repos.cases.find(record.id)!.stage;
      t.repos.cases.changeStage({
        caseId: record.id, from, to, day, reason: to === 'closed' ? 'done' : null, investigatorId: admin,
        acknowledgedDay: day, closedDay: to === 'closed' ? day : null, outcome: to === 'closed' ? 'withdrawn' : null,
      });
    }
  });
  return { draft, caseId: record.id, secrets: [record.report, attachment, replyFile, message, note, rationale, indexEntry] };
}

/** Scanning the files byte by byte takes seconds, more on a loaded machine. */
describe('purge', { timeout: 120_000 }, () => {
  it('deletes a case past retention and leaves no 32-byte slice of its ciphertexts in ombud.db, -wal or -shm', async () => {
    const { t, path } = await fileServer();
    const { caseId, secrets } = await richCase(t);
    expect(scan(path, secrets)).toBeGreaterThan(0); // the scanner sees them while the case exists
    expect(scan(filesPathFor(path), secrets.slice(1, 3))).toBeGreaterThan(0); // the files' bodies in their own file

    t.clock.advance({ days: 730 });
    const report = purgeExpired(t.app.ombud);
    expect(report.cases.map((c) => c.caseId)).toEqual([caseId]);
    expect(report.checkpoint?.complete).toBe(true);
    expect(t.repos.cases.find(caseId)).toBeUndefined();
    expect(scan(path, secrets)).toBe(0);
    t.close();
    expect(scan(path, secrets)).toBe(0);
  });

  it('keeps a case until its retention has passed, and a dry run deletes nothing', async () => {
    const { t } = await fileServer();
    const { caseId } = await richCase(t);
    t.clock.advance({ days: 729 });
    expect(purgeExpired(t.app.ombud).cases).toEqual([]);
    t.clock.advance({ days: 1 });
    expect(purgeExpired(t.app.ombud, { dryRun: true }).cases.map((c) => c.caseId)).toEqual([caseId]);
    expect(t.repos.cases.find(caseId)).toBeDefined();
  });

  it('keeps a case sent to two teams until the longer of their retentions has passed', async () => {
    const { t } = await fileServer();
    const supplier = await t.addTeam({ name: 'Supplier committee' });
    t.repos.channels.create({ slug: 'both', name: 'Both', createdDay: dayOf(t.clock.now()), teamIds: [t.team.id, supplier.id] });
    t.repos.retention.setRetentionDays(t.team.id, 30);
    t.repos.retention.setRetentionDays(supplier.id, 90);
    const draft = await t.draftReport({ channel: 'both', teamIds: [t.team.id, supplier.id] });
    await request(t.app).post('/api/intake').set(json).send(draft.body).expect(201);
    const caseId = t.repos.cases.findByLookupHash(t.app.ombud.keys.hmacHex('lookup', draft.credentials.lookupId))!.id;
    const day = dayOf(t.clock.now());
    const common = { caseId, day, reason: 'done', investigatorId: t.team.admin.id, acknowledgedDay: day };
    t.repos.cases.changeStage({ ...common, from: 'received', to: 'acknowledged', closedDay: null });
    t.repos.cases.changeStage({ ...common, from: 'acknowledged', to: 'closed', closedDay: day, outcome: 'referred' });
    t.clock.advance({ days: 60 });
    expect(purgeExpired(t.app.ombud).cases).toEqual([]);
    t.clock.advance({ days: 30 });
    expect(purgeExpired(t.app.ombud).cases).toEqual([{ caseId, closedDay: day, keepDays: 90 }]);
  });

  it('never deletes a case on legal hold, and deletes it once the hold is lifted', async () => {
    const { t } = await fileServer();
    const { caseId } = await richCase(t);
    t.repos.retention.setHold({ caseId, teamId: t.team.id, reason: 'court order 12/2025', setDay: dayOf(t.clock.now()), setBy: t.team.admin.id });
    t.clock.advance({ days: 3000 });
    const held = purgeExpired(t.app.ombud);
    expect(held.cases).toEqual([]);
    expect(held.held).toBe(1);
    expect(t.repos.cases.find(caseId)).toBeDefined();
    t.repos.retention.liftHold(caseId);
    expect(purgeExpired(t.app.ombud).cases.map((c) => c.caseId)).toEqual([caseId]);
  });

  it('records case.purged in an audit chain that still verifies, and the purged token answers like an unknown one', async () => {
    const { t } = await fileServer();
    const { caseId, draft } = await richCase(t);
    t.clock.advance({ days: 731 });
    purgeExpired(t.app.ombud);
    const events = t.repos.audit.list();
    expect(events.at(-1)).toMatchObject({ action: 'case.purged', caseId, actor: 'system', investigatorId: null });
    expect(t.repos.audit.verify()).toMatchObject({ ok: true });

    const purged = await request(t.app).post('/api/status').set(json).send(draft.credentials).expect(404);
    const unknown = await request(t.app).post('/api/status').set(json)
      .send({ lookupId: draft.credentials.verifier, verifier: draft.credentials.lookupId }).expect(404);
    expect(purged.body).toEqual(unknown.body);
  });
});
