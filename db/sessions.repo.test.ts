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

describe('sessions', () => {
  it('reads back, touches and deletes a session', () => {
    const session = { idHash: 'h1', investigatorId, csrfToken: 'c', createdAt: 1000, lastSeenAt: 1000, expiresAt: 9000 };
    repos.sessions.create(session);
    expect(repos.sessions.find('h1')).toEqual(session);
    repos.sessions.touch('h1', 2000);
    expect(repos.sessions.find('h1')?.lastSeenAt).toBe(2000);
    repos.sessions.delete('h1');
    expect(repos.sessions.find('h1')).toBeUndefined();
  });

  it('sweeps idle and expired sessions', () => {
    const base = { investigatorId, csrfToken: 'c', createdAt: 0 };
    repos.sessions.create({ ...base, idHash: 'idle', lastSeenAt: 100, expiresAt: 10_000 });
    repos.sessions.create({ ...base, idHash: 'old', lastSeenAt: 900, expiresAt: 1000 });
    repos.sessions.create({ ...base, idHash: 'fresh', lastSeenAt: 900, expiresAt: 10_000 });
    expect(repos.sessions.deleteStale(1000, 500)).toBe(2);
    expect(repos.sessions.find('fresh')).toBeDefined();
  });
});
