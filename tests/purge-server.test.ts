/**
 * The server purges by itself: started on a data folder that holds a case
 * closed long ago (past its team's retention), another closed as long ago but
 * on legal hold, and an open one, the real server (server/main.ts) deletes the
 * first within seconds of starting — the daily purge's first look — records
 * `case.purged`, and keeps the other two.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositories, openDatabase } from '../db/index.ts';
import { caseRecord } from '../db/fixtures.ts';
import { systemClock } from '../server/clock.ts';
import { addTeam } from '../server/testing/organisation.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('the daily purge in the running server', () => {
  it('deletes a closed case past retention soon after start, and keeps a held one and an open one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ombud-purge-server-'));
    const db = openDatabase(join(dataDir, 'ombud.db'));
    const repos = createRepositories(db);
    const team = await addTeam({ repos, clock: systemClock });
    const old = { stage: 'closed' as const, acknowledgedDay: '2020-01-02', closedDay: '2020-02-01' };
    repos.cases.create(caseRecord(team.channelSlug, { id: 'case-expired-0000001', lookupHash: '01'.repeat(32), ...old }), [team.id]);
    repos.cases.create(caseRecord(team.channelSlug, { id: 'case-onhold-00000002', lookupHash: '02'.repeat(32), ...old }), [team.id]);
    repos.cases.create(caseRecord(team.channelSlug, { id: 'case-open-0000000003', lookupHash: '03'.repeat(32) }), [team.id]);
    repos.retention.setHold({ caseId: 'case-onhold-00000002', teamId: team.id, reason: 'court order', setDay: '2020-03-01', setBy: team.admin.id });
    db.close();

    server = await startServer({}, { dataDir });
    const check = openDatabase(join(dataDir, 'ombud.db'), { migrate: false });
    try {
      const checkRepos = createRepositories(check);
      await expect.poll(() => checkRepos.cases.find('case-expired-0000001'), { timeout: 20_000, interval: 250 }).toBeUndefined();
      expect(checkRepos.cases.find('case-onhold-00000002')).toBeDefined();
      expect(checkRepos.cases.find('case-open-0000000003')).toBeDefined();
      expect(checkRepos.audit.list().filter((e) => e.action === 'case.purged').map((e) => e.caseId)).toEqual(['case-expired-0000001']);
      expect(checkRepos.audit.verify()).toMatchObject({ ok: true });
      await expect.poll(() => server!.output(), { timeout: 5_000 }).toContain('Retention: 1 closed case(s) deleted');
      expect(server.output()).not.toContain('case-expired-0000001'); // ids stay in the audit trail, not the log
    } finally {
      check.close();
    }
  });
});
