import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate, openDatabase, schemaVersion } from './database.ts';
import type { Db } from './database.ts';

const opened: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  opened.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-db-'));
  dirs.push(dir);
  return join(dir, 'ombud.sqlite');
}

describe('openDatabase', () => {
  it('migrates an empty database to the latest version', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    expect(schemaVersion(db)).toBe(loadMigrations().at(-1)?.version);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['cases', 'messages', 'audit_events', 'used_pow', 'setup_tokens']));
  });

  it('sets the durability pragmas on a file', () => {
    const db = openDatabase(tempFile());
    opened.push(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('applies nothing when reopened at the latest version', () => {
    const path = tempFile();
    openDatabase(path).close();
    const db = openDatabase(path, { migrate: false });
    opened.push(db);
    expect(migrate(db)).toEqual([]);
  });

  it('upgrades from every earlier version', () => {
    const all = loadMigrations();
    for (let from = 0; from < all.length; from += 1) {
      const db = openDatabase(':memory:', { migrations: all.slice(0, from) });
      opened.push(db);
      expect(schemaVersion(db)).toBe(from);
      expect(migrate(db, all)).toEqual(all.slice(from).map((m) => m.version));
      expect(schemaVersion(db)).toBe(all.length);
    }
  });

  it('rolls back a failing migration whole', () => {
    const db = openDatabase(':memory:', { migrations: [] });
    opened.push(db);
    const broken = [{ version: 1, name: '001-broken.sql', sql: 'CREATE TABLE a (x INTEGER); SELECT nope FROM missing;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'a'`).get()).toEqual({ n: 0 });
  });

  it('refuses a database newer than the build', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer than this build/);
  });
});
