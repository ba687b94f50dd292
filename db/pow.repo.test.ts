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

  it('do not scan every spent challenge on every spend: forgetting expired ones runs once a day', () => {
    // 100,000 challenges still valid (spent today): a spend that scans them all (the expiry
    // column has no index) costs ~100× one that does not. Timed against the same spends on
    // an empty table, at the same moment, so the machine's load cancels out.
    const timeSpends = (r: Repositories, prefix: string) => {
      const start = performance.now();
      for (let i = 0; i < 300; i++) r.pow.spend(`${prefix}${i}`, '2025-03-14', '2025-03-14');
      return performance.now() - start;
    };
    const fullDb = openDatabase(':memory:');
    fullDb.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO used_pow (challenge_id, expires_day) SELECT 'old' || i, '2025-03-14' FROM n`);
    const full = createRepositories(fullDb);
    const empty = createRepositories(openDatabase(':memory:'));
    timeSpends(empty, 'warm');
    const onEmpty = timeSpends(empty, 'e');
    const onFull = timeSpends(full, 'f');
    expect(onFull).toBeLessThan(Math.max(10 * onEmpty, 50));
    // …and an expired challenge is still forgotten on the next day.
    expect(full.pow.spend('old1', '2025-03-14', '2025-03-15')).toBe(true);
  });
});
