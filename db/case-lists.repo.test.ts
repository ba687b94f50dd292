import { describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import { createCaseListsRepo } from './case-lists.repo.ts';
import { caseRecord, DAY, investigatorRecord, seedOrganisation } from './fixtures.ts';
import { addDays } from '../server/clock.ts';

/** A team with `count` cases received on days before DAY (several a day, so that ties on the day are ordered by id). */
function inbox(count: number) {
  const db = openDatabase(':memory:');
  const repos = createRepositories(db);
  const org = seedOrganisation(repos);
  const other = seedOrganisation(repos, 'b');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `case-${String((i * 7919) % 1000).padStart(4, '0')}-${String(i).padStart(12, '0')}`;
    repos.cases.create(caseRecord(org.channel.slug, { id, lookupHash: i.toString(16).padStart(64, '0'), receivedDay: addDays(DAY, -Math.floor(i / 3)) }), [org.team.id]);
    ids.push(id);
  }
  // Another team's cases, newer than all of these: never in this team's list.
  for (let i = 0; i < 5; i++) {
    repos.cases.create(caseRecord(other.channel.slug, { id: `case-other-${i}-000000000000`, lookupHash: `f${i}`.padStart(64, 'e'), receivedDay: addDays(DAY, 1) }), [other.team.id]);
  }
  return { db, repos, org, ids };
}

/** Newest day first, then id descending, for ids made by `inbox` (the day is the index's third). */
const inboxOrder = (ids: string[]) => (a: string | undefined, b: string | undefined) =>
  Math.floor(ids.indexOf(a!) / 3) - Math.floor(ids.indexOf(b!) / 3) || (a! < b! ? 1 : -1);

describe('the inbox first page', () => {
  it('is the first cases of the whole list in the inbox order: urgent ones first, then newest, ties by id', () => {
    const { repos, org, ids } = inbox(40);
    repos.cases.markUrgent(ids[30]!, DAY);
    repos.cases.markUrgent(ids[35]!, DAY);
    const all = repos.caseLists.listForInvestigator(org.team.id, org.investigator.id);
    const order = [...all].sort((a, b) =>
      Number(b.urgentDay !== null) - Number(a.urgentDay !== null) ||
      (a.receivedDay < b.receivedDay ? 1 : a.receivedDay > b.receivedDay ? -1 : 0) || (a.id < b.id ? 1 : -1));
    for (const limit of [1, 2, 3, 7, 40, 100]) {
      const first = repos.caseLists.firstForInvestigator(org.team.id, org.investigator.id, limit);
      expect(first.total).toBe(40);
      expect(first.cases.map((c) => c.id)).toEqual(order.slice(0, limit).map((c) => c.id));
      expect(first.cases).toEqual(order.slice(0, limit));
    }
    expect(repos.caseLists.firstForInvestigator(org.team.id, org.investigator.id, 2).cases.map((c) => c.id)).toEqual([ids[30], ids[35]]);
  });

  it('leaves out the cases the investigator is excluded from, in the page and in the total', () => {
    const { repos, org, ids } = inbox(10);
    const colleague = repos.investigators.create({ ...investigatorRecord(org.team.id, 'c'), username: 'cem-c', role: 'investigator' });
    repos.caseWork.exclude(ids[0]!, colleague.id, DAY, org.investigator.id);
    repos.cases.markUrgent(ids[5]!, DAY);
    repos.caseWork.exclude(ids[5]!, colleague.id, DAY, org.investigator.id);
    const theirs = repos.caseLists.firstForInvestigator(org.team.id, colleague.id, 3);
    expect(theirs.total).toBe(8);
    // ids[0..2] were received on DAY, ids[3..5] the day before: newest first, ties by id descending.
    expect(theirs.cases.map((c) => c.id)).toEqual([ids[2], ids[1], ids[3], ids[4]].sort(inboxOrder(ids)).slice(0, 3));
    expect(theirs.cases.map((c) => c.id)).not.toContain(ids[0]);
    expect(theirs.cases.map((c) => c.id)).not.toContain(ids[5]);
    expect(repos.caseLists.firstForInvestigator(org.team.id, org.investigator.id, 3).cases[0]!.id).toBe(ids[5]);
  });

  it('reads the team\'s range of case_teams backwards and the urgent index, with no sort and no scan of cases', () => {
    const { db } = inbox(3);
    // Every statement the repository prepares, planned as SQLite will run it.
    const prepared: string[] = [];
    const spy = new Proxy(db, {
      get: (target, key) => key === 'prepare'
        ? (sql: string) => { prepared.push(sql); return target.prepare(sql); }
        : Reflect.get(target, key, target),
    });
    createCaseListsRepo(spy);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array((sql.match(/\?/g) ?? []).length).fill('x')) as { detail: string }[])
      .map((r) => r.detail).join('\n');
    expect(prepared).toHaveLength(6);
    for (const sql of prepared) {
      // A team's cases are a range of the key (migration 027); a case is found by its id; never a whole table.
      expect(plan(sql), sql).not.toMatch(/SCAN (c|ct)\b/);
      expect(plan(sql), sql).toMatch(/SEARCH ct USING PRIMARY KEY \(team_id=\?( AND received_day=\? AND case_id=\?)?\)/);
    }
    const newest = prepared.filter((sql) => sql.includes('ORDER BY ct.received_day DESC, ct.case_id DESC LIMIT ?'));
    expect(newest).toHaveLength(1);
    expect(plan(newest[0]!)).not.toMatch(/TEMP B-TREE/);
    const urgent = prepared.filter((sql) => sql.includes('INDEXED BY cases_urgent'));
    expect(plan(urgent[0]!)).toMatch(/SEARCH ct USING PRIMARY KEY \(team_id=\? AND received_day=\? AND case_id=\?\)/);
  });
});
