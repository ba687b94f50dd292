import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import type { Repositories } from './index.ts';

let repos: Repositories;
beforeEach(() => {
  repos = createRepositories(openDatabase(':memory:'));
});

describe('setup tokens', () => {
  it('can be used once', () => {
    repos.setup.create('t1', 5000);
    expect(repos.setup.find('t1')).toEqual({ tokenHash: 't1', expiresAt: 5000, usedAt: null });
    expect(repos.setup.markUsed('t1', 100)).toBe(true);
    expect(repos.setup.markUsed('t1', 200)).toBe(false);
    expect(repos.setup.find('t1')?.usedAt).toBe(100);
  });

  it('revokes unused links before a new one is issued', () => {
    repos.setup.create('used', 5000);
    repos.setup.markUsed('used', 1);
    repos.setup.create('unused', 5000);
    expect(repos.setup.revokeUnused()).toBe(1);
    expect(repos.setup.find('unused')).toBeUndefined();
    expect(repos.setup.find('used')).toBeDefined();
  });
});
