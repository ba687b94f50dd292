/**
 * A purge of many cases on a busy server: the due cases are deleted in
 * batches (a case is still whole or gone: each batch is one transaction,
 * with every case's audit event), so that a hundred thousand cases cost a
 * few hundred commits rather than a hundred thousand; and the server's
 * daily purge gives the event loop back between batches, so that reports
 * keep arriving while it runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';
import { purgeExpired, purgeExpiredYielding } from './purge.ts';

let t: TestServer | undefined;
afterEach(() => t?.close());

async function dueCases(server: TestServer, n: number): Promise<string[]> {
  server.repos.retention.setRetentionDays(server.team.id, 30);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { caseId } = await server.submitReport();
    const day = '2025-03-14';
    const common = { caseId, day, reason: 'done', investigatorId: server.team.admin.id, acknowledgedDay: day };
    server.repos.cases.changeStage({ ...common, from: 'received', to: 'acknowledged', closedDay: null });
    server.repos.cases.changeStage({ ...common, from: 'acknowledged', to: 'closed', closedDay: day, outcome: 'withdrawn' });
    ids.push(caseId);
  }
  server.clock.advance({ days: 30 });
  return ids;
}

const remaining = (server: TestServer) => server.db.prepare('SELECT COUNT(*) FROM cases').pluck().get() as number;

describe('purging many cases', () => {
  it('deletes them in batches, one transaction per batch, each case with its audit event', async () => {
    t = await createTestServer();
    const ids = await dueCases(t, 5);
    const repos = t.app.ombud.repos;
    const original = repos.transaction;
    let transactions = 0;
    repos.transaction = ((work: () => unknown) => {
      transactions += 1;
      return original(work);
    }) as typeof original;
    try {
      const report = purgeExpired(t.app.ombud, { batch: 2 });
      expect(report.cases.map((c) => c.caseId).sort()).toEqual([...ids].sort());
    } finally {
      repos.transaction = original;
    }
    expect(transactions).toBe(3);
    expect(remaining(t)).toBe(0);
    const purged = t.repos.audit.list().filter((e) => e.action === 'case.purged').map((e) => e.caseId).sort();
    expect(purged).toEqual([...ids].sort());
  });

  it('gives the event loop back between batches when the server runs it', async () => {
    t = await createTestServer();
    await dueCases(t, 5);
    const seen: number[] = [];
    let done = false;
    const tick = () => {
      if (done) return;
      seen.push(remaining(t!));
      setImmediate(tick);
    };
    setImmediate(tick);
    const report = await purgeExpiredYielding(t.app.ombud, { batch: 2 });
    done = true;
    expect(report.cases).toHaveLength(5);
    expect(seen.some((n) => n > 0 && n < 5)).toBe(true); // something ran between two batches
    expect(remaining(t)).toBe(0);
  });

  it('ends a batch of the server\'s purge when its time is spent, and gives the thread back as long as it held it', async () => {
    t = await createTestServer();
    const ids = await dueCases(t, 5);
    const repos = t.app.ombud.repos;
    // A clock that moves only while cases are deleted: 30 ms a case.
    let clock = 1000;
    const deleteCase = repos.retention.deleteCase;
    repos.retention.deleteCase = (caseId: string) => {
      clock += 30;
      return deleteCase(caseId);
    };
    const original = repos.transaction;
    const batches: number[] = [];
    repos.transaction = ((work: () => unknown) => {
      const result = original(work);
      if (Array.isArray(result)) batches.push(result.length);
      return result;
    }) as typeof original;
    const pauses: number[] = [];
    try {
      const report = await purgeExpiredYielding(t.app.ombud, {
        budgetMs: 50, now: () => clock, pause: async (ms) => void pauses.push(ms),
      });
      expect(report.cases.map((c) => c.caseId).sort()).toEqual([...ids].sort());
    } finally {
      repos.transaction = original;
      repos.retention.deleteCase = deleteCase;
    }
    expect(batches).toEqual([2, 2, 1]); // 60 ms ≥ 50 after the second case of each batch, not 200 cases
    expect(pauses).toEqual([60, 60]); // after each batch but the last, as long as that batch took
    expect(remaining(t)).toBe(0);
  });
});
