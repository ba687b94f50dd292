/**
 * A reporter's activity must not be orderable against timed
 * events. A failed sign-in can be caused at will; one just before and one
 * just after a report must leave nothing in the database — audit order,
 * rowids, sequence numbers — that places the report between them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { StatusView } from '../../common/api.ts';
import { startPurgeScheduler } from '../retention/scheduler.ts';
import { createTestServer, encryptMessage, json, type TestServer } from '../testing.ts';

let t: TestServer;
afterEach(() => t.close());

const failSignIn = () => request(t.app).post('/api/auth/login').set(json).send({ username: 'nobody', verifier: 'A'.repeat(43) }).expect(401);

describe('reporter activity among timed events', () => {
  it('keeps a report squeezed between two failed sign-ins out of their order, then seals it in the daily batch', async () => {
    t = await createTestServer();
    await failSignIn();
    const report = await t.submitReport();
    const view = (await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;
    const body = await encryptMessage('they moved me to nights', [...view.teamKeys, view.reporterPublicKey]);
    await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body }).expect(201);
    await failSignIn();

    // The chain holds the two failed sign-ins next to each other: nothing of the reporter between them.
    const chained = t.repos.audit.list();
    expect(chained.map((e) => e.action)).toEqual(['auth.login_failed', 'auth.login_failed']);
    expect(chained.map((e) => e.seq)).toEqual([1, 2]);
    // The pending events keep no order: WITHOUT ROWID, keyed by a random id.
    const pendingTable = t.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'audit_pending'`).get() as { sql: string };
    expect(pendingTable.sql).toMatch(/WITHOUT ROWID/);
    expect(() => t.db.prepare(`SELECT rowid FROM audit_pending`).all()).toThrow();
    // The workspace still shows them (first page), as not yet chained.
    const admin = await t.login(t.team.admin);
    const page = (await admin.get('/api/audit').expect(200)).body as { events: Array<{ seq: number | null; action: string; at: number | null }> };
    expect(page.events.filter((e) => e.seq === null).map((e) => e.action).sort()).toEqual(['case.received', 'case.reporter_wrote']);
    expect(page.events.filter((e) => e.seq === null).every((e) => e.at === null)).toBe(true);

    // The daily batch runs through the scheduler with the injected clock: nothing the same day…
    const scheduler = startPurgeScheduler(t.app.ombud, { everyMs: 3_600_000, firstAfterMs: 3_600_000 });
    try {
      expect((await scheduler.check())?.sealedReporterEvents).toBe(0);
      t.clock.advance({ days: 1 });
      // …and the next day the day's reporter events, after every timed event of their day, in canonical order.
      expect((await scheduler.check())?.sealedReporterEvents).toBe(2);
    } finally {
      scheduler.stop();
    }
    const sealed = t.repos.audit.list();
    const actions = sealed.map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['auth.login_failed', 'auth.login_failed', 'auth.login']); // the day's timed events
    expect(actions.slice(3)).toEqual(['case.received', 'case.reporter_wrote']);
    expect(sealed.slice(3).every((e) => e.actor === 'reporter' && e.at === null && e.day === '2025-03-14')).toBe(true);
    expect(t.repos.audit.verify()).toEqual({ ok: true, count: sealed.length });
    expect(t.db.prepare(`SELECT COUNT(*) AS n FROM audit_pending`).get()).toEqual({ n: 0 });
  });

  it('gives reporter rows ids that do not follow the order they were written in', async () => {
    t = await createTestServer();
    // Ten reports on one day, ten on the next.
    const days: string[][] = [];
    for (let d = 0; d < 2; d += 1) {
      if (d > 0) t.clock.advance({ days: 1 });
      const ids: string[] = [];
      for (let i = 0; i < 10; i += 1) ids.push((await t.submitReport()).caseId);
      days.push(ids);
    }
    const caseIds = days.flat();
    // A case's rowid is its received day (in the clear in its row) above random bits (db/row-order.ts):
    // sequential rowids would be 1..20 in order; these tell the day and, within it (but for 1 in 10!), not the order.
    const rowOf = t.db.prepare<[string], { r: bigint; day: string }>(`SELECT rowid AS r, received_day AS day FROM cases WHERE id = ?`).safeIntegers(true);
    const rows = caseIds.map((id) => rowOf.get(id)!);
    expect(rows.every((row) => row.r >> 47n === BigInt(Date.parse(`${row.day}T00:00:00Z`) / 86_400_000))).toBe(true);
    expect(new Set(rows.map((row) => row.day)).size).toBe(2);
    const first = rows.slice(0, 10).map((row) => row.r);
    const second = rows.slice(10).map((row) => row.r);
    const ascending = (list: bigint[]) => [...list].sort((a, b) => (a < b ? -1 : 1));
    expect(first).not.toEqual(ascending(first));
    expect(second).not.toEqual(ascending(second));
    expect(ascending(first).at(-1)! < ascending(second)[0]!).toBe(true);
    // case_teams has no rowid (migration 020) and stores its rows in its key's order: the team, the received
    // day, then the random case id (migration 027), so one day's cases are not in the order they came.
    expect(t.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'case_teams'`).pluck().get()).toMatch(/WITHOUT ROWID/);
    const stored = t.db.prepare(`SELECT case_id FROM case_teams WHERE team_id = ?`).pluck().all(t.team.id);
    expect(stored).toEqual([...[...days[0]!].sort(), ...[...days[1]!].sort()]);
    expect(stored).not.toEqual(caseIds);
    // Intake writes no stage history (the first stage is implied by the case row, migration 021); the first
    // change of stage starts each case's history at a random base.
    expect(t.db.prepare(`SELECT COUNT(*) AS n FROM stage_history`).get()).toEqual({ n: 0 });
    for (const caseId of caseIds) {
      t.repos.cases.changeStage({ caseId, from: 'received', to: 'acknowledged', day: '2025-03-14', reason: null, investigatorId: t.team.admin.id, acknowledgedDay: '2025-03-14', closedDay: null });
    }
    const ids = caseIds.map((id) => (t.db.prepare(`SELECT MIN(rowid) AS r FROM stage_history WHERE case_id = ?`).get(id) as { r: number }).r);
    expect(ids.every((r) => r >= 2 ** 40)).toBe(true);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
  });

  it('keeps the order of a conversation within one case, and not between cases', async () => {
    t = await createTestServer();
    const a = await t.submitReport();
    const b = await t.submitReport();
    const write = async (report: typeof a, text: string) => {
      const view = (await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;
      const body = await encryptMessage(text, [...view.teamKeys, view.reporterPublicKey]);
      return (await request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body }).expect(201)).body.id as string;
    };
    const a1 = await write(a, 'one');
    const b1 = await write(b, 'two');
    const a2 = await write(a, 'three');
    expect(t.repos.messages.listForCase(a.caseId).map((m) => m.id)).toEqual([a1, a2]);
    const seq = (id: string) => (t.db.prepare(`SELECT seq FROM messages WHERE id = ?`).get(id) as { seq: number }).seq;
    expect(seq(a2)).toBe(seq(a1) + 1);
    expect(Math.abs(seq(b1) - seq(a1))).toBeGreaterThan(1000); // a random base per case, not a global counter
  });
});
