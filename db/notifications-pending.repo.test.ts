import { describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import { investigatorRecord, seedOrganisation } from './fixtures.ts';

describe('notification addresses of pending members', () => {
  it('are left out of the digest until the member is admitted: the digest names the team\'s cases', () => {
    const repos = createRepositories(openDatabase(':memory:'));
    const { team, investigator } = seedOrganisation(repos);
    const pending = repos.investigators.create({ ...investigatorRecord(team.id, 'p'), role: 'investigator', admittedDay: null });
    repos.notifications.set(investigator.id, { email: 'a@example.test', encrypt: false });
    repos.notifications.set(pending.id, { email: 'p@example.test', encrypt: false });
    expect(repos.notifications.listActive().map((a) => a.investigatorId)).toEqual([investigator.id]);
    repos.investigators.admit(pending.id, pending.fingerprint, pending.publicKey, '2025-03-15');
    expect(repos.notifications.listActive().map((a) => a.investigatorId).sort()).toEqual([investigator.id, pending.id].sort());
  });
});
