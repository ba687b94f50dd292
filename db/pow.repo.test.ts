import { beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase } from './index.ts';
import type { Repositories } from './index.ts';

let repos: Repositories;
beforeEach(() => {
  repos = createRepositories(openDatabase(':memory:'));
});

describe('spent proofs of work', () => {
  it('are spent once', () => {
    expect(repos.pow.spend('c1', '2025-03-14', '2025-03-14')).toBe(true);
    expect(repos.pow.spend('c1', '2025-03-14', '2025-03-14')).toBe(false);
  });

  it('are forgotten after the day they expired', () => {
    repos.pow.spend('c1', '2025-03-14', '2025-03-14');
    expect(repos.pow.spend('c1', '2025-03-14', '2025-03-15')).toBe(true);
  });
});
