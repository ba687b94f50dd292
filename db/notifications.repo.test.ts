import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import type { Repositories } from './index.ts';
import { seedOrganisation } from './fixtures.ts';

let repos: Repositories;
let investigatorId: string;
beforeEach(() => {
  repos = createRepositories(openDatabase(':memory:'));
  investigatorId = seedOrganisation(repos).investigator.id;
});

describe('notification addresses', () => {
  it('sets, changes and removes an address, keeping the digest day across changes', () => {
    repos.notifications.set(investigatorId, { email: 'a@example.test', encrypt: false });
    expect(repos.notifications.find(investigatorId)).toEqual({ investigatorId, email: 'a@example.test', encrypt: false, lastDigestDay: null });
    expect(repos.notifications.claimDigest(investigatorId, '2025-03-14')).toBe(true);
    repos.notifications.set(investigatorId, { email: 'b@example.test', encrypt: true });
    expect(repos.notifications.find(investigatorId)).toEqual({ investigatorId, email: 'b@example.test', encrypt: true, lastDigestDay: '2025-03-14' });
    repos.notifications.set(investigatorId, null);
    expect(repos.notifications.find(investigatorId)).toBeUndefined();
  });

  it('lets one claim of a day\'s digest win, and gives it back for a retry', () => {
    repos.notifications.set(investigatorId, { email: 'a@example.test', encrypt: false });
    expect(repos.notifications.claimDigest(investigatorId, '2025-03-14')).toBe(true);
    expect(repos.notifications.claimDigest(investigatorId, '2025-03-14')).toBe(false);
    expect(repos.notifications.claimDigest(investigatorId, '2025-03-13')).toBe(false);
    repos.notifications.releaseDigest(investigatorId, '2025-03-14', null);
    expect(repos.notifications.claimDigest(investigatorId, '2025-03-14')).toBe(true);
    expect(repos.notifications.claimDigest(investigatorId, '2025-03-15')).toBe(true);
  });

  it('lists only investigators who are not disabled', () => {
    repos.notifications.set(investigatorId, { email: 'a@example.test', encrypt: false });
    expect(repos.notifications.listActive().map((a) => a.investigatorId)).toEqual([investigatorId]);
    repos.investigators.setDisabled(investigatorId, true);
    expect(repos.notifications.listActive()).toEqual([]);
  });
});
