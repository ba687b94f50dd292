/**
 * The operator's backup, for real: the server runs and takes reports while
 * `npm run ombud -- backup` snapshots it; the backup is restored into a fresh
 * data folder and a second server started on it finds every case — by the
 * reporter's token (which needs the restored server secret) and in the
 * investigators' list. The snapshot is of one instant: a report sent after
 * the backup finished is not in it, and none is half in it. The file is
 * encrypted under the operator's passphrase (OMBUD_BACKUP_PASSPHRASE): it
 * holds no report text, no reporter credential, no server secret and no
 * database page in the clear.
 */
import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositories, openDatabase } from '../db/index.ts';
import { systemClock } from '../server/clock.ts';
import { addTeam, type TestTeam } from '../server/testing/organisation.ts';
import { draftReport, json, type ReportDraft } from '../server/testing/reporter.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

const servers: RunningServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of servers) {
    await s.stop();
    removeDataDir(s);
  }
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function ombud(args: string[], dataDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'server/cli/ombud.ts', ...args], {
      env: { PATH: process.env.PATH, OMBUD_DATA_DIR: dataDir, OMBUD_BACKUP_PASSPHRASE: PASSPHRASE }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const CANARY = 'CANARY-backup the shift leader locks the fire exit';
const PASSPHRASE = 'night shift at the river gate';

async function submit(server: RunningServer, team: TestTeam): Promise<ReportDraft> {
  const plaintext = new TextEncoder().encode(JSON.stringify({ v: 1, what: CANARY }));
  const draft = await draftReport(server.url as unknown as Express, { channel: team.channelSlug, plaintext });
  await request(server.url).post('/api/intake').set(json).send(draft.body).expect(201);
  return draft;
}

const statusOf = async (server: RunningServer, draft: ReportDraft) =>
  (await request(server.url).post('/api/status').set(json).send(draft.credentials)).status;

describe('backup and restore of a running server', () => {
  it('backs up while reports come in, restores into a fresh folder, and the new server finds every case', async () => {
    const live = await startServer({ OMBUD_POW_DIFFICULTY: '4' });
    servers.push(live);
    // The first team, written beside the running server (as setup would), with a channel and an administrator.
    const db = openDatabase(join(live.dataDir, 'ombud.db'), { migrate: false });
    const team = await addTeam({ repos: createRepositories(db), clock: systemClock });
    db.close();

    const before: ReportDraft[] = [];
    for (let i = 0; i < 4; i += 1) before.push(await submit(live, team));

    const work = mkdtempSync(join(tmpdir(), 'ombud-backup-'));
    dirs.push(work);
    const file = join(work, 'ombud.backup');
    let finished = false;
    const backup = ombud(['backup', '--out', file], live.dataDir).finally(() => (finished = true));
    const during: ReportDraft[] = [];
    while (!finished && during.length < 20) during.push(await submit(live, team));
    const made = await backup;
    expect(made.code, made.out).toBe(0);
    expect(during.length).toBeGreaterThan(0); // reports really were taken while the snapshot ran
    const after = await submit(live, team);

    // The backup holds ciphertext only: no report text, and none of the reporters' token-derived credentials.
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(CANARY))).toBe(false);
    // Encrypted: the server secret and the database's own bytes are not in it (they were in format 1).
    expect(bytes.includes(readFileSync(join(live.dataDir, 'server-secret')))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from(team.channelSlug))).toBe(false);
    for (const draft of before) {
      expect(bytes.includes(Buffer.from(draft.credentials.lookupId))).toBe(false);
      expect(bytes.includes(Buffer.from(draft.credentials.verifier))).toBe(false);
    }

    // A non-empty folder is refused and left as it was.
    const restoreRefused = mkdtempSync(join(work, 'occupied-'));
    writeFileSync(join(restoreRefused, 'keep.txt'), 'mine');
    const refused = await ombud(['restore', '--from', file, '--data-dir', restoreRefused], live.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/not empty/);
    expect(readdirSync(restoreRefused)).toEqual(['keep.txt']);
    expect(readFileSync(join(restoreRefused, 'keep.txt'), 'utf8')).toBe('mine');

    const target = join(work, 'restored');
    const restored = await ombud(['restore', '--from', file, '--data-dir', target], live.dataDir);
    expect(restored.code, restored.out).toBe(0);

    const again = await startServer({ OMBUD_POW_DIFFICULTY: '4' }, { dataDir: target });
    servers.push(again);
    for (const draft of before) expect(await statusOf(again, draft)).toBe(200);
    const duringFound = [];
    for (const draft of during) {
      const status = await statusOf(again, draft);
      expect([200, 404]).toContain(status); // in the snapshot or not, never half
      if (status === 200) duringFound.push(draft);
    }
    expect(await statusOf(again, after)).toBe(404); // sent after the snapshot
    expect(await statusOf(live, after)).toBe(200);

    const login = await request(again.url).post('/api/auth/login').set(json)
      .send({ username: team.admin.username, verifier: team.admin.verifier }).expect(200);
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
    const list = (await request(again.url).get('/api/cases').set('Cookie', cookie).expect(200)).body as { cases: { id: string }[] };
    expect(list.cases).toHaveLength(before.length + duringFound.length);

    const health = await ombud(['health', '--json', '--min-free-mb', '1'], target);
    expect(health.code, health.out).toBe(0);
    expect(JSON.parse(health.out)).toMatchObject({ healthy: true, cases: before.length + duringFound.length, teams: 1 });
  });
});
