import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, type Db, type Repositories } from './index.ts';
import { caseRecord, DAY, seedOrganisation } from './fixtures.ts';

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
    expect(repos.retention.dueForPurge('2025-01-30')).toEqual([]);
    expect(repos.retention.dueForPurge('2025-01-31').map((c) => c.caseId)).toEqual(['case-old-000000000001']);
    expect(repos.retention.dueForPurge('2025-03-03')).toEqual([
      { caseId: 'case-old-000000000001', closedDay: '2025-01-01', keepDays: 30 },
      { caseId: 'case-two-000000000002', closedDay: '2025-01-01', keepDays: 60 },
      { caseId: 'case-new-000000000003', closedDay: '2025-02-01', keepDays: 30 },
    ]);
    repos.retention.setHold({ caseId: 'case-old-000000000001', teamId: org.team.id, reason: 'court', setDay: DAY, setBy: org.investigator.id });
    expect(repos.retention.dueForPurge('2030-01-01').map((c) => c.caseId)).not.toContain('case-old-000000000001');
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
