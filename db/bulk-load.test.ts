import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BULK_CACHE_KIB, bulkLoad } from './bulk-load.ts';
import { openDatabase, type Db } from './database.ts';

const pragmas = (db: Db) => ({
  synchronous: db.pragma('synchronous', { simple: true }),
  cacheSize: db.pragma('cache_size', { simple: true }),
  journal: db.pragma('journal_mode', { simple: true }),
  secureDelete: db.pragma('secure_delete', { simple: true }),
});

describe('bulk load (the benchmark generator only)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loosens durability and secure delete only while the work runs, and restores them even when it throws', () => {
    dir = mkdtempSync(join(tmpdir(), 'ombud-bulk-'));
    const db = openDatabase(join(dir, 'ombud.db'));
    const production = pragmas(db);
    expect(production).toMatchObject({ journal: 'wal', secureDelete: 1 });
    const during = bulkLoad(db, () => pragmas(db));
    expect(during).toEqual({ synchronous: 0, cacheSize: -BULK_CACHE_KIB, journal: 'off', secureDelete: 0 });
    expect(pragmas(db)).toEqual(production);
    expect(() => bulkLoad(db, () => {
      throw new Error('half-way');
    })).toThrow('half-way');
    expect(pragmas(db)).toEqual(production);
    db.close();
  });
});
