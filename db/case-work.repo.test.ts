import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import type { Repositories } from './index.ts';
import { caseRecord, DAY, investigatorRecord, seedOrganisation } from './fixtures.ts';

let repos: Repositories;
let org: ReturnType<typeof seedOrganisation>;
let caseId: string;
beforeEach(() => {
  repos = createRepositories(openDatabase(':memory:'));
  org = seedOrganisation(repos);
  const record = caseRecord(org.channel.slug);
  repos.cases.create(record, [org.team.id]);
  caseId = record.id;
});

describe('case work', () => {
  it('changes a case only from the version the caller read, and bumps it', () => {
    expect(repos.caseWork.setLabels(caseId, ['wages'], 0)).toBe(true);
    expect(repos.caseWork.setLabels(caseId, ['other'], 0)).toBe(false);
    expect(repos.caseWork.assign(caseId, org.investigator.id, 1)).toBe(true);
    expect(repos.caseLists.findForTeam(caseId, org.team.id)).toMatchObject({
      version: 2, labels: ['wages'], assigneeId: org.investigator.id, assigneeName: org.investigator.displayName,
    });
  });

  it('bumps the version on a stage change too', () => {
    repos.cases.changeStage({
      caseId, from: 'received', to: 'acknowledged', day: DAY, reason: null, investigatorId: org.investigator.id,
      acknowledgedDay: DAY, closedDay: null,
    });
    expect(repos.caseWork.assign(caseId, null, 0)).toBe(false);
    expect(repos.caseLists.findForTeam(caseId, org.team.id)?.version).toBe(1);
  });

  it('excludes once, unassigns the excluded assignee, and hides the case from their list only', () => {
    const colleague = repos.investigators.create({ ...investigatorRecord(org.team.id, 'b'), username: 'bob-b', role: 'investigator' });
    repos.caseWork.assign(caseId, colleague.id, 0);
    expect(repos.caseWork.exclude(caseId, colleague.id, DAY, org.investigator.id)).toBe(true);
    expect(repos.caseWork.exclude(caseId, colleague.id, DAY, org.investigator.id)).toBe(false);
    expect(repos.caseWork.isExcluded(caseId, colleague.id)).toBe(true);
    expect(repos.caseWork.exclusions(caseId)).toEqual([{ investigatorId: colleague.id, displayName: colleague.displayName, day: DAY }]);
    expect(repos.caseLists.findForTeam(caseId, org.team.id)?.assigneeId).toBeNull();
    expect(repos.caseLists.listForInvestigator(org.team.id, colleague.id)).toEqual([]);
    expect(repos.caseLists.listForInvestigator(org.team.id, org.investigator.id)).toHaveLength(1);
  });

  it('keeps notes in order with their author, apart from the thread', () => {
    repos.notes.create({ id: 'note-000000000000001', caseId, investigatorId: org.investigator.id, day: DAY, body: new Uint8Array([1, 2]) });
    repos.notes.create({ id: 'note-000000000000002', caseId, investigatorId: org.investigator.id, day: DAY, body: new Uint8Array([3]) });
    expect(repos.notes.listForCase(caseId).map((n) => [n.id, n.byName, [...n.body]])).toEqual([
      ['note-000000000000001', org.investigator.displayName, [1, 2]],
      ['note-000000000000002', org.investigator.displayName, [3]],
    ]);
    expect(repos.messages.listForCase(caseId)).toEqual([]);
  });
});
