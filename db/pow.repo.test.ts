import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('leave the database at synchronous=FULL for the commits that must be durable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ombud-pow-'));
    try {
      const db = openDatabase(join(dir, 'ombud.db'));
      const fileRepos = createRepositories(db);
      expect(fileRepos.pow.spend('c1', '2025-03-14', '2025-03-14')).toBe(true);
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(fileRepos.pow.spend('c1', '2025-03-14', '2025-03-14')).toBe(false);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
