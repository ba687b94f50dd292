import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEventView } from '../../common/api.ts';
import { runAuditVerify } from '../cli/audit-verify.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

describe('audit trail API', () => {
  it('shows an administrator every event, newest first, page by page', async () => {
    const { caseId } = await t.submitReport();
    await request(t.app).post('/api/auth/login').set(json).send({ username: 'nobody', verifier: 'A'.repeat(43) });
    const admin = await t.login(t.team.admin);
    await admin.get(`/api/cases/${caseId}`).expect(200);
    await admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(200);

    const page = (await admin.get('/api/audit').expect(200)).body as { events: AuditEventView[]; nextBefore: number | null };
    // The reporter's event waits for the daily batch (no seq yet) and heads the first page.
    expect(page.events.map((e) => e.action)).toEqual([
      'case.received', 'case.stage_changed', 'case.opened', 'auth.login', 'auth.login_failed',
    ]);
    expect(page.nextBefore).toBeNull();
    const changed = page.events[1]!;
    expect(changed).toMatchObject({ actor: 'investigator', actorName: t.team.admin.displayName, caseId, detail: { from: 'received', to: 'acknowledged' } });
    expect(changed.at).toBe(t.clock.now());
    const received = page.events.find((e) => e.action === 'case.received')!;
    expect(received).toMatchObject({ seq: null, actor: 'reporter', at: null, actorName: null });

    const first = (await admin.get('/api/audit?limit=2').expect(200)).body as { events: AuditEventView[]; nextBefore: number };
    expect(first.events.map((e) => e.action)).toEqual(['case.received', 'case.stage_changed', 'case.opened']);
    const second = (await admin.get(`/api/audit?limit=2&before=${first.nextBefore}`).expect(200)).body as { events: AuditEventView[] };
    expect(second.events.map((e) => e.action)).toEqual(['auth.login', 'auth.login_failed']);
    expect((await admin.get('/api/audit?limit=0').expect(400)).body.error).toBe('invalid_request');
  });

  it('shows an investigator only their own events and those of their team’s cases', async () => {
    const other = await t.addTeam({ name: 'Other', channelSlug: 'other' });
    const { caseId: ours } = await t.submitReport();
    const { caseId: theirs } = await t.submitReport({ channel: 'other' });
    const colleague = await t.login(t.team.admin);
    await colleague.get(`/api/cases/${ours}`).expect(200);
    const stranger = await t.login(other.admin);
    await stranger.get(`/api/cases/${theirs}`).expect(200);

    const investigator = await t.addInvestigator(t.team);
    const me = await t.login(investigator);
    const events = ((await me.get('/api/audit').expect(200)).body as { events: AuditEventView[] }).events;
    expect(events.map((e) => [e.action, e.caseId ?? e.actorName])).toEqual([
      ['case.received', ours],
      ['auth.login', investigator.displayName],
      ['case.opened', ours],
    ]);
    expect(events.some((e) => e.caseId === theirs)).toBe(false);
    await request(t.app).get('/api/audit').expect(401);
  });

  it('hides the events of a case from an investigator excluded from it, but not their own', async () => {
    const { caseId } = await t.submitReport();
    const { caseId: other } = await t.submitReport();
    const investigator = await t.addInvestigator(t.team);
    const me = await t.login(investigator);
    await me.get(`/api/cases/${caseId}`).expect(200);
    t.repos.caseWork.exclude(caseId, investigator.id, '2025-03-14', t.team.admin.id);
    const admin = await t.login(t.team.admin);
    await admin.get(`/api/cases/${caseId}`).expect(200);

    const events = ((await me.get('/api/audit').expect(200)).body as { events: AuditEventView[] }).events;
    expect(events.filter((e) => e.caseId === caseId).map((e) => [e.action, e.actorName])).toEqual([
      ['case.opened', investigator.displayName],
    ]);
    expect(events.some((e) => e.caseId === other)).toBe(true);
    const all = ((await admin.get('/api/audit').expect(200)).body as { events: AuditEventView[] }).events;
    expect(all.filter((e) => e.caseId === caseId).map((e) => e.action)).toEqual(['case.received', 'case.opened', 'case.opened']);
  });

  it('says where the chain breaks when a past event was altered in the database', async () => {
    const { caseId } = await t.submitReport();
    const admin = await t.login(t.team.admin);
    await admin.get(`/api/cases/${caseId}`).expect(200);
    await admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(200);
    const total = t.repos.audit.list().length;
    expect((await admin.get('/api/audit/verify').expect(200)).body).toEqual({ ok: true, checked: total });

    const opened = t.repos.audit.list().find((e) => e.action === 'case.opened')!;
    t.db.prepare(`UPDATE audit_events SET detail = ? WHERE seq = ?`).run('{"note":"nothing to see"}', opened.seq);
    expect((await admin.get('/api/audit/verify').expect(200)).body).toEqual({ ok: false, checked: opened.seq - 1, brokenAt: opened.seq });
  });
});

describe('GET /api/audit/verify: who may ask, and what it counts', () => {
  it('refuses a pending (not admitted) member', async () => {
    const pending = await t.addInvestigator(t.team, { admitted: false });
    const me = await t.login(pending);
    expect((await me.get('/api/audit/verify').expect(403)).body.error).toBe('not_admitted');
  });

  it('counts for a team only the events that team may see, and everything only for the deployment’s administrators', async () => {
    const other = await t.addTeam({ name: 'Other', channelSlug: 'other' });
    await t.submitReport();
    const { caseId: theirs } = await t.submitReport({ channel: 'other' });
    t.repos.audit.sealPending('9999-12-31');
    const deployment = await t.login(t.team.admin); // the first team runs the deployment
    const stranger = await t.login(other.admin);
    await stranger.get(`/api/cases/${theirs}`).expect(200);
    const total = t.repos.audit.list().length;
    expect((await deployment.get('/api/audit/verify').expect(200)).body).toEqual({ ok: true, checked: total });
    const visible = ((await stranger.get('/api/audit?limit=500').expect(200)).body as { events: AuditEventView[] }).events.length;
    expect(visible).toBeLessThan(total);
    expect((await stranger.get('/api/audit/verify').expect(200)).body).toEqual({ ok: true, checked: visible });
  });
});

describe('npm run audit:verify', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ombud-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function serverWithHistory() {
    const s = await createTestServer({ dbPath: join(dir, 'ombud.db') });
    const { caseId } = await s.submitReport();
    const admin = await s.login(s.team.admin);
    await admin.post(`/api/cases/${caseId}/stage`, { stage: 'acknowledged' }).expect(200);
    const count = s.repos.audit.list().length;
    s.close();
    return count;
  }

  const run = (args: string[]) => {
    const lines: string[] = [];
    const code = runAuditVerify(args, dir, { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`) });
    return { code, text: lines.join('\n') };
  };

  it('prints OK with the number of events of a whole chain, from the data folder in OMBUD_DATA_DIR', async () => {
    const count = await serverWithHistory();
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts'], {
      env: { ...process.env, OMBUD_DATA_DIR: dir }, encoding: 'utf8',
    });
    expect(out).toContain(`OK: the audit chain of ${count} events is whole`);
  });

  it('exits non-zero and names the first broken row after a row was tampered with', async () => {
    await serverWithHistory();
    const db = new Database(join(dir, 'ombud.db'));
    db.prepare(`UPDATE audit_events SET detail = ? WHERE seq = 2`).run('{"from":"received","to":"closed"}');
    db.close();
    expect(run([])).toEqual({ code: 1, text: expect.stringMatching(/^ERR BROKEN: audit event #2 does not fit the chain/) });
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts'], {
        env: { ...process.env, OMBUD_DATA_DIR: dir }, encoding: 'utf8', stdio: 'pipe',
      });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
  });

  it('explains itself with --help and refuses a folder without a database', () => {
    expect(run(['--help'])).toEqual({ code: 0, text: expect.stringContaining('Usage: npm run audit:verify') });
    expect(run([])).toEqual({ code: 2, text: expect.stringContaining('no database at') });
  });
});
