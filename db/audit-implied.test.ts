/**
 * A case's "received" event implied by its row until the daily batch
 * (migration 024): sealed as a pending row would be, shown as one, kept when
 * the case is purged first, and never lost to the batch's own mark.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.ts';
import { IMPLIED_COLUMNS, IMPLIED_FROM_EVERY_TEAM } from './audit-implied.ts';
import { caseRecord, seedOrganisation } from './fixtures.ts';
import { createRepositories, type Repositories } from './index.ts';

const TODAY = '2025-03-17';
const DAYS = ['2025-03-14', '2025-03-15', '2025-03-16', TODAY];

interface World {
  db: Db;
  repos: Repositories;
  teamA: string;
  teamB: string;
  cases: string[];
}

/**
 * Two teams; nine cases over four days (one of them of both teams), each with its received event
 * either implied by its row or, as before migration 024, a pending row; and other pending reporter events.
 */
function world(implied: boolean): World {
  const db = openDatabase(':memory:');
  const repos = createRepositories(db);
  const a = seedOrganisation(repos, 'a');
  const b = seedOrganisation(repos, 'b');
  repos.audit.append({ day: '2025-03-16', at: 1_742_100_000_000, actor: 'investigator', investigatorId: a.investigator.id, caseId: null, action: 'auth.login', detail: {} });
  const cases: string[] = [];
  for (let i = 0; i < 9; i++) {
    const id = `case-${String.fromCharCode(105 - i)}-${i}`; // ids not in the order they are made
    const day = DAYS[i % 4]!;
    const teams = i === 4 ? [a.team.id, b.team.id] : [i % 2 === 0 ? a.team.id : b.team.id];
    const detail = { channel: i % 2 === 0 ? a.channel.slug : b.channel.slug, teams: teams.join(',') };
    const record = caseRecord(detail.channel, { id, receivedDay: day, lookupHash: `${i}`.repeat(64) });
    repos.transaction(() => {
      if (implied) {
        repos.cases.create(record, teams, repos.audit.receivedEvent(id, day, detail));
      } else {
        repos.cases.create(record, teams);
        repos.audit.appendPending({ day, caseId: id, action: 'case.received', detail });
      }
    });
    if (i % 3 === 0) repos.audit.appendPending({ day, caseId: id, action: 'case.reporter_wrote', detail: {} });
    cases.push(id);
  }
  return { db, repos, teamA: a.team.id, teamB: b.team.id, cases };
}

const chain = (repos: Repositories) => repos.audit.list().map(({ seq, day, actor, caseId, action, detail }) => ({ seq, day, actor, caseId, action, detail }));
const pending = (repos: Repositories, teamId: string | null, investigatorId = 'inv-x') =>
  repos.audit.pendingFor({ investigatorId, teamId }).map((e) => `${e.day} ${e.action} ${e.caseId}`).sort();
const stillImplied = (db: Db) =>
  db.prepare(`SELECT id FROM cases WHERE received_event IS NOT NULL ORDER BY id`).pluck().all();

/** The server's purge: queue both kinds, seal in chunks, then move the mark. */
function sealInSteps(repos: Repositories, chunk: number): number {
  for (let after: string | undefined = ''; after !== undefined;) after = repos.audit.queuePending(TODAY, after, chunk);
  for (let after = repos.audit.queueImplied(TODAY, undefined, chunk); after !== undefined;) after = repos.audit.queueImplied(TODAY, after, chunk);
  let sealed = 0;
  for (;;) {
    const step = repos.audit.sealQueued(chunk);
    sealed += step.sealed;
    if (step.looked < chunk) break;
  }
  repos.audit.markImpliedSealed(TODAY);
  return sealed;
}

describe('a case\'s received event implied by its row', () => {
  it('is shown, and sealed in one go or in steps, exactly as a pending row would be; a case of two teams once', () => {
    const before = world(false);
    const sealedBefore = before.repos.audit.sealPending(TODAY);
    expect(sealedBefore).toBe(7 + 2); // before today: 7 of the 9 cases received, 2 of the 3 messages written

    const once = world(true);
    expect(pending(once.repos, null)).toEqual(pending(world(false).repos, null));
    expect(once.db.prepare(`SELECT COUNT(*) FROM audit_pending WHERE action = 'case.received'`).pluck().get()).toBe(0);
    expect(once.repos.audit.sealPending(TODAY)).toBe(sealedBefore);
    expect(chain(once.repos)).toEqual(chain(before.repos));
    expect(once.repos.audit.verify()).toEqual({ ok: true, count: 1 + sealedBefore });

    for (const chunk of [1, 2, 500]) {
      const stepped = world(true);
      expect(sealInSteps(stepped.repos, chunk), `chunks of ${chunk}`).toBe(sealedBefore);
      expect(chain(stepped.repos)).toEqual(chain(before.repos));
      // Today's stay implied, and shown; nothing is sealed twice by a second batch.
      expect(stillImplied(stepped.db)).toEqual(stepped.cases.filter((_, i) => i % 4 === 3).sort());
      expect(pending(stepped.repos, null)).toEqual(pending(before.repos, null));
      expect(stepped.repos.audit.sealPending(TODAY)).toBe(0);
    }
  });

  it('is shown to its teams only, never to an investigator excluded from the case', () => {
    const { repos, teamA, teamB, cases } = world(true);
    const [inA, inB] = ['inv-a-0123456789abcd', 'inv-b-0123456789abcd'];
    const ofA = pending(repos, teamA).filter((e) => e.includes('case.received'));
    const ofB = pending(repos, teamB).filter((e) => e.includes('case.received'));
    expect(ofA.map((e) => e.split(' ')[2]).sort()).toEqual(cases.filter((_, i) => i % 2 === 0).sort()); // case 4 is of both
    expect(ofB.map((e) => e.split(' ')[2]).sort()).toEqual(cases.filter((_, i) => i % 2 === 1 || i === 4).sort());
    expect(pending(repos, null).filter((e) => e.includes('case.received'))).toHaveLength(9);
    expect(repos.caseWork.exclude(cases[4]!, inA, TODAY, inB)).toBe(true);
    expect(pending(repos, teamA, inA).some((e) => e.endsWith(cases[4]!))).toBe(false);
    expect(pending(repos, null, inA).some((e) => e.endsWith(cases[4]!))).toBe(false);
    expect(pending(repos, teamA, inB).some((e) => e.endsWith(cases[4]!))).toBe(true);
  });

  it('stays pending when its case is purged before the batch, and is sealed by it', () => {
    const { repos, cases } = world(true);
    const gone = cases[0]!; // received on the 14th
    repos.transaction(() => repos.retention.deleteCase(gone));
    expect(repos.cases.find(gone)).toBeUndefined();
    expect(pending(repos, null)).toContain(`2025-03-14 case.received ${gone}`);
    repos.audit.sealPending(TODAY);
    expect(repos.audit.list().filter((e) => e.caseId === gone).map((e) => e.action)).toContain('case.received');
  });

  it('is found by the next batch when its case is stored just after a batch, dated the day before', () => {
    const { db, repos, teamA } = world(true);
    repos.audit.sealPending(TODAY);
    expect(db.prepare(`SELECT day FROM audit_implied_since`).pluck().get()).toBe('2025-03-16');
    // A report whose day was read just before midnight, stored after the batch of the 17th.
    const late = caseRecord('factory-a', { id: 'case-late', receivedDay: '2025-03-16', lookupHash: 'l'.repeat(64) });
    repos.transaction(() => repos.cases.create(late, [teamA], repos.audit.receivedEvent(late.id, late.receivedDay, { channel: 'factory-a', teams: teamA })));
    expect(stillImplied(db)).toContain('case-late');
    expect(pending(repos, teamA)).toContain('2025-03-16 case.received case-late');
    expect(repos.audit.sealPending('2025-03-18')).toBe(1 + 3); // it, and the 17th's two cases and one message
    expect(repos.audit.list().at(-4)).toMatchObject({ day: '2025-03-16', caseId: 'case-late', action: 'case.received' });
  });

  it('is kept as a pending row for a day the batch has passed (a clock set back)', () => {
    const { db, repos, teamA } = world(true);
    repos.audit.sealPending(TODAY);
    const old = caseRecord('factory-a', { id: 'case-old', receivedDay: '2025-03-01', lookupHash: 'o'.repeat(64) });
    repos.transaction(() => repos.cases.create(old, [teamA], repos.audit.receivedEvent(old.id, old.receivedDay, { channel: 'factory-a', teams: teamA })));
    expect(stillImplied(db)).not.toContain('case-old');
    expect(db.prepare(`SELECT day, action FROM audit_pending WHERE case_id = 'case-old'`).all()).toEqual([{ day: '2025-03-01', action: 'case.received' }]);
    expect(pending(repos, teamA)).toContain('2025-03-01 case.received case-old');
  });

  it('is looked for from the mark on, team by team, never by reading the whole of case_teams', () => {
    const { db } = world(true);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT ${IMPLIED_COLUMNS} FROM ${IMPLIED_FROM_EVERY_TEAM} GROUP BY c.id`)
      .all().map((row) => (row as { detail: string }).detail);
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH ct USING PRIMARY KEY \(team_id=\? AND received_day>\?\)/));
    expect(plan.filter((step) => step.startsWith('SCAN') && !step.startsWith('SCAN t '))).toEqual([]);
  });
});
