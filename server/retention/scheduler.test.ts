import { afterEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';
import { startPurgeScheduler } from './scheduler.ts';

let t: TestServer | undefined;
afterEach(() => t?.close());

async function closedCase(server: TestServer): Promise<string> {
  const { caseId } = await server.submitReport();
  const day = '2025-03-14';
  const common = { caseId, day, reason: 'done', investigatorId: server.team.admin.id, acknowledgedDay: day };
  server.repos.cases.changeStage({ ...common, from: 'received', to: 'acknowledged', closedDay: null });
  server.repos.cases.changeStage({ ...common, from: 'acknowledged', to: 'closed', closedDay: day, outcome: 'withdrawn' });
  return caseId;
}

describe('purge scheduler', () => {
  it('purges once per day of the clock, and again on the next day', async () => {
    t = await createTestServer();
    t.repos.retention.setRetentionDays(t.team.id, 30);
    const first = await closedCase(t);
    const reports: number[] = [];
    const scheduler = startPurgeScheduler(t.app.ombud, { everyMs: 3_600_000, firstAfterMs: 3_600_000, onPurged: (r) => reports.push(r.cases.length) });
    try {
      expect((await scheduler.check())?.cases).toEqual([]); // today: nothing due
      t.clock.advance({ days: 30 });
      expect((await scheduler.check())?.cases.map((c) => c.caseId)).toEqual([first]);
      expect(await scheduler.check()).toBeUndefined(); // same day: not again
      t.clock.advance({ days: 1 });
      expect((await scheduler.check())?.cases).toEqual([]);
      expect(reports).toEqual([0, 1, 0]);
    } finally {
      scheduler.stop();
    }
  });

  it('reports a failing purge and tries again at the next look', async () => {
    t = await createTestServer();
    const errors: unknown[] = [];
    const broken = { ...t.app.ombud, repos: { ...t.app.ombud.repos, retention: { ...t.app.ombud.repos.retention, duePage: () => { throw new Error('disk I/O error'); } } } };
    const scheduler = startPurgeScheduler(broken, { everyMs: 3_600_000, firstAfterMs: 3_600_000, onError: (e) => errors.push(e) });
    try {
      expect(await scheduler.check()).toBeUndefined();
      expect(await scheduler.check()).toBeUndefined();
      expect(errors).toHaveLength(2);
    } finally {
      scheduler.stop();
    }
  });

  it('deletes a purged case\'s file at the next look once the backup that held it back has ended', async () => {
    t = await createTestServer();
    t.repos.retention.setRetentionDays(t.team.id, 30);
    const caseId = await closedCase(t);
    t.repos.uploads.putBody('the-file', new Uint8Array([0xc1, 1, 2]));
    t.repos.transaction(() => {
      t!.repos.uploads.stage({ id: 'the-file', ticketId: 'ticket', keyIds: [], size: 3, purgeAfter: t!.clock.now() + 3_600_000 });
      t!.repos.uploads.attach('the-file', caseId);
    });
    const bodies = () => t!.db.prepare('SELECT id FROM files.bodies').pluck().all();
    t.db.prepare('INSERT INTO backup_marks (id, until) VALUES (?, ?)').run('a-backup', t.clock.now() + 86_400_000 * 40);
    const scheduler = startPurgeScheduler(t.app.ombud, { everyMs: 3_600_000, firstAfterMs: 3_600_000 });
    try {
      t.clock.advance({ days: 30 });
      expect((await scheduler.check())?.cases.map((c) => c.caseId)).toEqual([caseId]);
      expect(bodies()).toEqual(['the-file']); // held back while the backup copies the two files
      expect(await scheduler.check()).toBeUndefined();
      expect(bodies()).toEqual(['the-file']);
      t.db.prepare('DELETE FROM backup_marks').run();
      expect(await scheduler.check()).toBeUndefined(); // the same day: no purge, but the queue is drained
      expect(bodies()).toEqual([]);
    } finally {
      scheduler.stop();
    }
  });
});
