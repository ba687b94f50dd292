import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import type { Repositories } from './index.ts';
import { caseRecord, DAY, seedOrganisation } from './fixtures.ts';

let repos: Repositories;
let org: ReturnType<typeof seedOrganisation>;
beforeEach(() => {
  repos = createRepositories(openDatabase(':memory:'));
  org = seedOrganisation(repos);
});

describe('cases', () => {
  it('reads back a case, its teams and its first history entry', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    expect(repos.cases.find(record.id)).toEqual(record);
    expect(repos.cases.findByLookupHash(record.lookupHash)).toEqual(record);
    expect(repos.cases.teamIdsOf(record.id)).toEqual([org.team.id]);
    expect(repos.cases.history(record.id)).toEqual([{ stage: 'received', day: DAY, reason: null, byName: null }]);
  });

  it('refuses a second case with the same lookup hash', () => {
    repos.cases.create(caseRecord(org.channel.slug), [org.team.id]);
    expect(repos.cases.lookupHashTaken('ab'.repeat(32))).toBe(true);
    expect(() => repos.cases.create(caseRecord(org.channel.slug, { id: 'case-other-0123456' }), [org.team.id])).toThrow(
      /UNIQUE/,
    );
    expect(repos.cases.find('case-other-0123456')).toBeUndefined();
  });

  it('shows a case only to the teams it was sent to', () => {
    const other = seedOrganisation(repos, 'b');
    repos.cases.create(caseRecord(org.channel.slug), [org.team.id]);
    expect(repos.caseLists.listForTeam(org.team.id).map((c) => c.id)).toEqual(['case-0123456789abcdef']);
    expect(repos.caseLists.listForTeam(other.team.id)).toEqual([]);
    expect(repos.caseLists.findForTeam('case-0123456789abcdef', other.team.id)).toBeUndefined();
    expect(repos.caseLists.findForTeam('case-0123456789abcdef', org.team.id)?.channelName).toBe('Factory a');
  });

  it('changes stage only from the stage it expects', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    const change = {
      caseId: record.id, from: 'received', to: 'acknowledged', day: '2025-03-15', reason: null,
      investigatorId: org.investigator.id, acknowledgedDay: '2025-03-15', closedDay: null,
    } as const;
    expect(repos.cases.changeStage(change)).toBe(true);
    expect(repos.cases.changeStage(change)).toBe(false);
    expect(repos.cases.find(record.id)).toMatchObject({ stage: 'acknowledged', acknowledgedDay: '2025-03-15' });
    expect(repos.cases.history(record.id).map((h) => [h.stage, h.byName])).toEqual([
      ['received', null],
      ['acknowledged', 'Alice a'],
    ]);
  });

  it('says a reply is awaited when the reporter wrote last', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    const awaiting = () => repos.caseLists.listForTeam(org.team.id)[0]?.awaitingReply;
    expect(awaiting()).toBe(false);
    const base = { caseId: record.id, day: DAY, body: new Uint8Array([1]) };
    repos.messages.create({ ...base, id: 'msg-1-0123456789ab', author: 'reporter', investigatorId: null });
    expect(awaiting()).toBe(true);
    repos.messages.create({ ...base, id: 'msg-2-0123456789ab', author: 'team', investigatorId: org.investigator.id });
    expect(awaiting()).toBe(false);
    expect(repos.messages.listForCase(record.id).map((m) => m.id)).toEqual(['msg-1-0123456789ab', 'msg-2-0123456789ab']);
    expect(repos.messages.listForCase(record.id)[0]?.body).toEqual(new Uint8Array([1]));
  });

  it('keeps the first urgent day and accepts one satisfaction answer, only on a closed case', () => {
    const record = caseRecord(org.channel.slug);
    repos.cases.create(record, [org.team.id]);
    expect(repos.cases.followUp(record.id)).toEqual({ urgentDay: null, satisfactionGiven: false });
    repos.cases.markUrgent(record.id, '2025-03-20');
    repos.cases.markUrgent(record.id, '2025-03-25');
    expect(repos.cases.followUp(record.id).urgentDay).toBe('2025-03-20');
    expect(repos.caseLists.findForTeam(record.id, org.team.id)?.urgentDay).toBe('2025-03-20');

    expect(repos.cases.recordSatisfaction(record.id)).toBe(false); // not closed yet
    const closed = repos.cases.changeStage({
      caseId: record.id, from: record.stage, to: 'closed', day: '2025-04-01', reason: 'done',
      investigatorId: org.investigator.id, acknowledgedDay: '2025-04-01', closedDay: '2025-04-01',
    });
    expect(closed).toBe(true);
    expect(repos.cases.recordSatisfaction(record.id)).toBe(true);
    expect(repos.cases.recordSatisfaction(record.id)).toBe(false);
    expect(repos.cases.followUp(record.id).satisfactionGiven).toBe(true);
  });
});
