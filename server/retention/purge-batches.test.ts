/**
 * A purge of many cases on a busy server: the due cases are deleted in
 * batches (a case is still whole or gone: each batch is one transaction,
 * with every case's audit event), so that a hundred thousand cases cost a
 * few hundred commits rather than a hundred thousand; and the server's
 * daily purge gives the event loop back between batches, so that reports
 * keep arriving while it runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/index.ts';
import { dayOf } from '../clock.ts';
import { createTestServer, type TestServer } from '../testing.ts';
import { CHECKPOINT_RETRY_MS, CHECKPOINT_TRIES, SEAL_CHUNK } from './purge-chores.ts';
import { purgeExpired, purgeExpiredYielding } from './purge.ts';

let t: TestServer | undefined;
const dirs: string[] = [];
afterEach(() => {
  t?.close();
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** A test server on a database file (the WAL needs one), and a second connection to it reading, as a backup would. */
async function serverWithReader(): Promise<{ server: TestServer; reader: Db }> {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-purge-'));
  dirs.push(dir);
  const server = await createTestServer({ dbPath: join(dir, 'ombud.db') });
  const reader = openDatabase(join(dir, 'ombud.db'));
  reader.prepare('BEGIN').run();
  reader.prepare('SELECT COUNT(*) FROM cases').get();
  return { server, reader };
}

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

  it('does not wait out its pauses when the server has nothing to do', async () => {
    t = await createTestServer();
    await dueCases(t, 3);
    // A clock that moves only while cases are deleted, 500 ms a case: each case is a step of its own, and
    // each step asks for a pause of 500 ms. The test server goes with the test, so the hook is not undone.
    const { retention } = t.app.ombud.repos;
    const { deleteCase } = retention;
    let clock = 1000;
    retention.deleteCase = (caseId) => ((clock += 500), deleteCase(caseId));
    const started = performance.now();
    const report = await purgeExpiredYielding(t.app.ombud, { budgetMs: 50, now: () => clock });
    expect(report.cases).toHaveLength(3);
    // Waiting the pauses out would take 1.5 s at least; nothing else runs in this test.
    expect(performance.now() - started).toBeLessThan(1_000);
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
    // After each step, as long as it took: the sealing of reporter events (the clock did not move), then each batch.
    expect(pauses).toEqual([1, 60, 60, 30]);
    expect(remaining(t)).toBe(0);
  });

  it('leaves room in a step for the commit of its batch, which the loop that watches the time cannot see', async () => {
    t = await createTestServer();
    const ids = await dueCases(t, 13);
    const repos = t.app.ombud.repos;
    // 10 ms a case deleted, and its pages written at the commit: 5 ms a case more.
    let clock = 1000;
    const { deleteCase } = repos.retention;
    repos.retention.deleteCase = (caseId: string) => {
      clock += 10;
      return deleteCase(caseId);
    };
    const original = repos.transaction;
    const batches: number[] = [];
    repos.transaction = ((work: () => unknown) => {
      const result = original(work);
      if (Array.isArray(result)) {
        batches.push(result.length);
        clock += 5 * result.length;
      }
      return result;
    }) as typeof original;
    const pauses: number[] = [];
    try {
      const report = await purgeExpiredYielding(t.app.ombud, { budgetMs: 50, now: () => clock, pause: async (ms) => void pauses.push(ms) });
      expect(report.cases.map((c) => c.caseId).sort()).toEqual([...ids].sort());
    } finally {
      repos.transaction = original;
      repos.retention.deleteCase = deleteCase;
    }
    // The first batch learns that its commit took a third of its step (50 + 25 ms); the next ones stop at
    // two thirds of 50 ms (4 cases: 40 + 20 ms), not at 50 (5 cases: 50 + 25 ms).
    expect(batches).toEqual([5, 4, 4]);
    expect(pauses).toEqual([1, 75, 60, 60]);
  });

  it('lists the due cases a page at a time as the batches need them, each page counted in its step', async () => {
    t = await createTestServer();
    const ids = await dueCases(t, 7);
    const repos = t.app.ombud.repos;
    // A clock that moves only while the purge works: 20 ms a page of the listing, 10 ms a case deleted.
    let clock = 1000;
    const work: string[] = [];
    const { duePage, deleteCase } = repos.retention;
    repos.retention.duePage = (...args) => {
      clock += 20;
      const page = duePage(...args);
      work.push(`page of ${page.cases.length}`);
      return page;
    };
    repos.retention.deleteCase = (caseId: string) => {
      clock += 10;
      work.push('case');
      return deleteCase(caseId);
    };
    const pauses: number[] = [];
    try {
      const report = await purgeExpiredYielding(t.app.ombud, {
        page: 3, budgetMs: 50, now: () => clock, pause: async (ms) => void pauses.push(ms),
      });
      expect(report.cases.map((c) => c.caseId).sort()).toEqual([...ids].sort());
    } finally {
      Object.assign(repos.retention, { duePage, deleteCase });
    }
    // Never the whole listing first: a page, then its cases until the step's 50 ms are spent.
    expect(work).toEqual([
      'page of 3', 'case', 'case', 'case',
      'page of 3', 'case', 'case', 'case',
      'page of 1', 'case',
    ]);
    expect(pauses).toEqual([1, 50, 50, 30]);
    expect(remaining(t)).toBe(0);
  });

  it('gives the thread back between pages of cases it passes over, and deletes none of them', async () => {
    t = await createTestServer();
    const ids = await dueCases(t, 6);
    for (const caseId of ids) t.repos.retention.setHold({ caseId, teamId: t.team.id, reason: 'court', setDay: '2025-04-01', setBy: t.team.admin.id });
    const repos = t.app.ombud.repos;
    let clock = 1000;
    const { duePage } = repos.retention;
    let pages = 0;
    repos.retention.duePage = (...args) => {
      clock += 20;
      pages += 1;
      return duePage(...args);
    };
    const pauses: number[] = [];
    try {
      const report = await purgeExpiredYielding(t.app.ombud, {
        page: 1, budgetMs: 50, now: () => clock, pause: async (ms) => void pauses.push(ms),
      });
      expect(report.cases).toEqual([]);
      expect(report.held).toBe(6);
    } finally {
      repos.retention.duePage = duePage;
    }
    expect(pages).toBe(7); // six full pages of one held case, then an empty one
    expect(pauses).toEqual([1, 60, 60, 20]); // three pages a step (60 ms ≥ 50), never all seven at once
    expect(remaining(t)).toBe(6);
  });

  it('keeps a case held between two steps, whether its page was read already or not', async () => {
    t = await createTestServer();
    const ids = await dueCases(t, 5);
    const order = t.repos.retention.duePage('2030-01-01', undefined, 10).cases.map((c) => c.caseId);
    expect([...order].sort()).toEqual([...ids].sort());
    const [first, listed, , , later] = order as [string, string, string, string, string];
    let steps = 0;
    const report = await purgeExpiredYielding(t.app.ombud, {
      page: 2, batch: 1,
      pause: async () => {
        steps += 1;
        // After the first case is deleted: one case on the page read already, one on a page not read yet.
        if (steps === 2) {
          for (const caseId of [listed, later]) t!.repos.retention.setHold({ caseId, teamId: t!.team.id, reason: 'court', setDay: '2025-04-14', setBy: t!.team.admin.id });
        }
      },
    });
    expect(report.cases.map((c) => c.caseId)).toEqual(order.filter((id) => id !== listed && id !== later));
    expect(report.cases[0]?.caseId).toBe(first);
    expect(t.repos.retention.holdOf(listed)).toBeDefined();
    expect(remaining(t)).toBe(2);
  });

  it('reports every due case and the holds on a dry run, page after page, and deletes nothing', async () => {
    t = await createTestServer();
    const ids = await dueCases(t, 5);
    t.repos.retention.setHold({ caseId: ids[0]!, teamId: t.team.id, reason: 'court', setDay: '2025-04-01', setBy: t.team.admin.id });
    const report = purgeExpired(t.app.ombud, { dryRun: true, page: 2 });
    expect(report.cases.map((c) => c.caseId).sort()).toEqual(ids.slice(1).sort());
    expect(report.held).toBe(1);
    expect(remaining(t)).toBe(5);
  });

  it('deletes stale upload tickets a chunk at a time, giving the thread back when a step has spent its time', async () => {
    t = await createTestServer();
    const repos = t.app.ombud.repos;
    const now = t.clock.now();
    repos.transaction(() => {
      for (let i = 0; i < 250; i++) repos.uploads.spendTicket(`stale-ticket-${i}`, now - 1000 - i);
      repos.uploads.spendTicket('fresh-ticket', now + 60_000);
    });
    let clock = 1000;
    const chunks: number[] = [];
    const { purgeStale } = repos.uploads;
    repos.uploads.purgeStale = (at: number, limit?: number) => {
      clock += 30;
      const n = purgeStale(at, limit);
      chunks.push(n);
      return n;
    };
    const pauses: number[] = [];
    try {
      const report = await purgeExpiredYielding(t.app.ombud, { budgetMs: 50, now: () => clock, pause: async (ms) => void pauses.push(ms) });
      expect(report.staleTickets).toBe(250);
    } finally {
      repos.uploads.purgeStale = purgeStale;
    }
    expect(chunks).toEqual([100, 100, 50]); // never all of them in one statement
    expect(pauses).toEqual([1, 1, 60]); // the sealing, the (empty) listing, two chunks (60 ms ≥ 50)
    expect(repos.uploads.usage('fresh-ticket').spent).toBe(true);
  });

  it('never waits for a reader in another process to checkpoint: it tries again between steps, the thread given back', async () => {
    const { server, reader } = await serverWithReader();
    t = server;
    await dueCases(t, 2);
    const steps: number[] = [];
    const pauses: number[] = [];
    let began = performance.now();
    const report = await purgeExpiredYielding(t.app.ombud, {
      pause: async (ms) => {
        steps.push(performance.now() - began);
        pauses.push(ms);
        began = performance.now();
      },
    });
    steps.push(performance.now() - began);
    reader.prepare('COMMIT').run();
    reader.close();
    expect(report.cases).toHaveLength(2);
    expect(report.checkpoint?.complete).toBe(false); // the reader stayed to the end
    expect(Math.max(...steps)).toBeLessThan(1000); // SQLite's busy timeout held the thread 5 s
    expect(pauses.filter((ms) => ms >= CHECKPOINT_RETRY_MS)).toHaveLength(CHECKPOINT_TRIES - 1);
  });

  it('checkpoints and empties the WAL once the reader has gone', async () => {
    const { server, reader } = await serverWithReader();
    t = server;
    await dueCases(t, 2);
    let retries = 0;
    const report = await purgeExpiredYielding(t.app.ombud, {
      pause: async (ms) => {
        if (ms >= CHECKPOINT_RETRY_MS && ++retries === 3) {
          reader.prepare('COMMIT').run();
          reader.close();
        }
      },
    });
    expect(retries).toBe(3);
    expect(report.checkpoint).toEqual({ complete: true, walPages: 0 });
  });

  it('seals a large day of reporter events in chunks, within the steps\' budget, before any case is purged', async () => {
    t = await createTestServer();
    const [caseId] = await dueCases(t, 1);
    const yesterday = dayOf(t.clock.now() - 86_400_000);
    t.repos.transaction(() => {
      for (let i = 0; i < 2.5 * SEAL_CHUNK; i++) t!.repos.audit.appendPending({ day: yesterday, caseId: `case-${i}`, action: 'case.reporter_wrote', detail: {} });
    });
    const repos = t.app.ombud.repos;
    let clock = 1000;
    const chunks: number[] = [];
    const { sealQueued } = repos.audit;
    repos.audit.sealQueued = (limit: number) => {
      clock += 30;
      const step = sealQueued(limit);
      chunks.push(step.sealed);
      return step;
    };
    const pauses: number[] = [];
    try {
      const report = await purgeExpiredYielding(t.app.ombud, { budgetMs: 50, now: () => clock, pause: async (ms) => void pauses.push(ms) });
      expect(report.sealedReporterEvents).toBeGreaterThan(2.5 * SEAL_CHUNK); // and the due case's own, from its report
      expect(chunks.reduce((a, b) => a + b)).toBe(report.sealedReporterEvents);
    } finally {
      repos.audit.sealQueued = sealQueued;
    }
    expect(chunks.slice(0, 2)).toEqual([SEAL_CHUNK, SEAL_CHUNK]); // never the whole day in one transaction
    expect(pauses.slice(0, 2)).toEqual([60, 30]); // two chunks (60 ms ≥ 50), then the rest
    const actions = t.repos.audit.list().map((e) => e.action);
    expect(actions.lastIndexOf('case.reporter_wrote')).toBeLessThan(actions.indexOf('case.purged'));
    expect(t.repos.audit.list().filter((e) => e.caseId === caseId).at(-1)?.action).toBe('case.purged');
    expect(t.repos.audit.verify().ok).toBe(true);
  });
});
