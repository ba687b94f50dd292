import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, type Db, type Repositories } from './index.ts';
import { caseRecord, DAY, seedOrganisation } from './fixtures.ts';
import { DUE_PAGE_SQL, type DueCursor, type PurgeCandidate } from './retention.repo.ts';

let db: Db;
let repos: Repositories;
let org: ReturnType<typeof seedOrganisation>;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  org = seedOrganisation(repos);
});

function closedCase(id: string, closedDay: string, teamIds = [org.team.id]): void {
  repos.cases.create(caseRecord(org.channel.slug, {
    id, lookupHash: id.padEnd(64, '0'), stage: 'closed', acknowledgedDay: DAY, closedDay,
  }), teamIds);
}

/** Every due case, read a page of `limit` closed cases at a time. */
function dueForPurge(today: string, limit = 2): PurgeCandidate[] {
  const due: PurgeCandidate[] = [];
  let after: DueCursor | undefined;
  do {
    const page = repos.retention.duePage(today, after, limit);
    due.push(...page.cases);
    after = page.next;
  } while (after);
  return due;
}

/** Rows of every table that names the case. */
function rowsOf(caseId: string): number {
  const tables = db.prepare(`SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
    AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'case_id') AND m.name <> 'audit_events'`).all() as { name: string }[];
  const inTables = tables.reduce((n, { name }) => n + (db.prepare(`SELECT COUNT(*) AS n FROM ${name} WHERE case_id = ?`).get(caseId) as { n: number }).n, 0);
  return inTables + (db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE id = ?`).get(caseId) as { n: number }).n;
}

describe('retention repository', () => {
  it('gives every team 730 days and refuses a retention outside 30–3650 in the schema itself', () => {
    expect(repos.retention.retentionDays(org.team.id)).toBe(730);
    repos.retention.setRetentionDays(org.team.id, 30);
    expect(repos.retention.retentionDays(org.team.id)).toBe(30);
    expect(() => repos.retention.setRetentionDays(org.team.id, 29)).toThrow(/CHECK/);
    expect(() => repos.retention.setRetentionDays(org.team.id, 3651)).toThrow(/CHECK/);
    expect(repos.retention.retentionDays(org.team.id)).toBe(30);
  });

  it('lists closed, unheld cases whose longest team retention has passed, oldest first', () => {
    const other = seedOrganisation(repos, 'b').team;
    repos.retention.setRetentionDays(org.team.id, 30);
    repos.retention.setRetentionDays(other.id, 60);
    closedCase('case-old-000000000001', '2025-01-01');
    closedCase('case-two-000000000002', '2025-01-01', [org.team.id, other.id]);
    closedCase('case-new-000000000003', '2025-02-01');
    repos.cases.create(caseRecord(org.channel.slug, { id: 'case-open-00000000004', lookupHash: 'ef'.repeat(32) }), [org.team.id]);
    expect(dueForPurge('2025-01-30')).toEqual([]);
    expect(dueForPurge('2025-01-31').map((c) => c.caseId)).toEqual(['case-old-000000000001']);
    expect(dueForPurge('2025-03-03')).toEqual([
      { caseId: 'case-old-000000000001', closedDay: '2025-01-01', keepDays: 30 },
      { caseId: 'case-two-000000000002', closedDay: '2025-01-01', keepDays: 60 },
      { caseId: 'case-new-000000000003', closedDay: '2025-02-01', keepDays: 30 },
    ]);
    repos.retention.setHold({ caseId: 'case-old-000000000001', teamId: org.team.id, reason: 'court', setDay: DAY, setBy: org.investigator.id });
    expect(dueForPurge('2030-01-01').map((c) => c.caseId)).not.toContain('case-old-000000000001');
    expect(repos.retention.heldCaseIds(org.team.id)).toEqual(['case-old-000000000001']);
    expect(repos.retention.heldCaseIds(other.id)).toEqual([]);
  });

  it('replaces a hold, lifts it once, and says when there was none', () => {
    closedCase('case-held-00000000001', DAY);
    const hold = { caseId: 'case-held-00000000001', teamId: org.team.id, reason: 'first', setDay: DAY, setBy: org.investigator.id };
    repos.retention.setHold(hold);
    repos.retention.setHold({ ...hold, reason: 'second' });
    expect(repos.retention.holdOf(hold.caseId)).toEqual({ ...hold, reason: 'second' });
    expect(repos.retention.heldCount()).toBe(1);
    expect(repos.retention.liftHold(hold.caseId)).toBe(true);
    expect(repos.retention.liftHold(hold.caseId)).toBe(false);
    expect(repos.retention.holdOf(hold.caseId)).toBeUndefined();
  });

  it('deletes a case with every row of it in any table, and leaves the audit trail alone', () => {
    closedCase('case-gone-00000000001', DAY);
    closedCase('case-kept-00000000002', DAY);
    for (const id of ['case-gone-00000000001', 'case-kept-00000000002']) {
      repos.messages.create({ id: `msg-${id}`, caseId: id, author: 'reporter', investigatorId: null, day: DAY, body: new Uint8Array([1, 2]) });
      repos.notes.create({ id: `note-${id}`, caseId: id, investigatorId: org.investigator.id, day: DAY, body: new Uint8Array([3]) });
      repos.caseIndex.putEntry(id, org.team.id, 1, new Uint8Array([4]));
      repos.audit.append({ day: DAY, at: null, actor: 'reporter', investigatorId: null, caseId: id, action: 'case.received', detail: {} });
    }
    repos.retention.setHold({ caseId: 'case-gone-00000000001', teamId: org.team.id, reason: 'x', setDay: DAY, setBy: org.investigator.id });
    expect(rowsOf('case-gone-00000000001')).toBeGreaterThan(5);
    expect(repos.transaction(() => repos.retention.deleteCase('case-gone-00000000001'))).toBe(true);
    expect(rowsOf('case-gone-00000000001')).toBe(0);
    expect(rowsOf('case-kept-00000000002')).toBeGreaterThan(5);
    expect(repos.audit.list()).toHaveLength(2);
    expect(repos.audit.verify()).toEqual({ ok: true, count: 2 });
    expect(repos.retention.deleteCase('case-gone-00000000001')).toBe(false);
  });
});

describe('the checkpoint after a purge', () => {
  it('gives up at once when asked not to wait, and leaves the connection\'s busy timeout as it was', () => {
    expect(repos.retention.checkpointTruncate({ wait: false }).complete).toBe(true);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe('listing due cases a page at a time', () => {
  it('looks at no more closed cases per page than asked, and goes on from its cursor to the last one', () => {
    const other = seedOrganisation(repos, 'b').team;
    repos.retention.setRetentionDays(org.team.id, 30);
    repos.retention.setRetentionDays(other.id, 3650);
    // Seven closed cases on three days, ids out of their insertion order; one kept ten years by its team,
    // one held: looked at, passed over.
    closedCase('case-e', '2025-01-02');
    closedCase('case-a', '2025-01-02');
    closedCase('case-long', '2025-01-01', [other.id]);
    closedCase('case-c', '2025-01-01');
    closedCase('case-held', '2025-01-02');
    closedCase('case-b', '2025-01-03');
    closedCase('case-recent', '2025-02-20');
    repos.retention.setHold({ caseId: 'case-held', teamId: org.team.id, reason: 'court', setDay: DAY, setBy: org.investigator.id });
    const today = '2025-03-01';

    const first = repos.retention.duePage(today, undefined, 3);
    expect(first.cases.map((c) => c.caseId)).toEqual(['case-c', 'case-a']); // case-long looked at, not due
    expect(first.next).toEqual({ closedDay: '2025-01-02', caseId: 'case-a' });
    const second = repos.retention.duePage(today, first.next, 3);
    expect(second.cases.map((c) => c.caseId)).toEqual(['case-e', 'case-b']); // case-held passed over
    expect(second.next).toEqual({ closedDay: '2025-01-03', caseId: 'case-b' });
    // case-recent was closed after the newest day any retention has passed (2025-01-30): not looked at.
    expect(repos.retention.duePage(today, second.next, 3)).toEqual({ cases: [], next: undefined });

    for (const limit of [1, 2, 3, 4, 7, 100]) {
      expect(dueForPurge(today, limit).map((c) => c.caseId), `pages of ${limit}`).toEqual(['case-c', 'case-a', 'case-e', 'case-b']);
    }
  });

  it('reads each page through the index of closed cases: no scan of the cases, no sort', () => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${DUE_PAGE_SQL}`).all('2025-03-01', '', '', '2025-03-01', 200) as { detail: string }[])
      .map((row) => row.detail).join('\n');
    expect(plan).toMatch(/SEARCH c USING COVERING INDEX cases_closed_by_day \(\(closed_day,id\)>\(\?,\?\) AND closed_day<\?\)/);
    expect(plan).not.toMatch(/SCAN c\b|TEMP B-TREE/);
  });

  it('leaves a case out of the index once it is reopened, and takes it in when it is closed again', () => {
    repos.retention.setRetentionDays(org.team.id, 30);
    closedCase('case-again', '2025-01-01');
    expect(dueForPurge('2025-03-01').map((c) => c.caseId)).toEqual(['case-again']);
    const change = { caseId: 'case-again', day: '2025-03-01', reason: null, investigatorId: org.investigator.id, acknowledgedDay: DAY };
    expect(repos.cases.changeStage({ ...change, from: 'closed', to: 'investigating', closedDay: null })).toBe(true);
    expect(dueForPurge('2026-03-01')).toEqual([]);
    expect(repos.cases.changeStage({ ...change, from: 'investigating', to: 'closed', closedDay: '2025-03-01' })).toBe(true);
    expect(dueForPurge('2025-03-31').map((c) => c.caseId)).toEqual(['case-again']);
  });
});
