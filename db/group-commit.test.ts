/**
 * Group commit (db/group-commit.ts): works queued in one turn share one
 * COMMIT, none settles before it, a work that throws is rolled back alone,
 * a failed COMMIT rejects them all and stores nothing.
 *
 * Commits are counted in the log itself: each commit's last frame carries the
 * database's size in pages, the others zero. Another connection is the
 * observer of what is stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from './database.ts';
import { groupCommit } from './group-commit.ts';

const dirs: string[] = [];
const open: Array<{ close(): unknown; open: boolean }> = [];
afterEach(() => {
  open.splice(0).reverse().forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function database(): { db: Db; observer: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-group-commit-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'ombud.db'), { migrate: false });
  open.push(db);
  db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');
  const observer = new Database(db.name, { readonly: true });
  open.push(observer);
  return { db, observer };
}

/** Commits in the log so far (frames of the current salt whose commit field, the database's size, is set). */
function commits(path: string): number {
  const wal = readFileSync(`${path}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  let n = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== wal.readUInt32BE(16) || wal.readUInt32BE(at + 12) !== wal.readUInt32BE(20)) break;
    if (wal.readUInt32BE(at + 4) !== 0) n += 1;
  }
  return n;
}

const stored = (observer: Database.Database) => observer.prepare('SELECT id FROM t ORDER BY id').pluck().all();

describe('group commit', () => {
  it('commits the works queued in one turn together, and settles none of them before that commit', async () => {
    const { db, observer } = database();
    const group = groupCommit(db);
    const before = commits(db.name);
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const settled: number[] = [];
    const works = [1, 2, 3, 4, 5].map((id) => group(() => insert.run(id).changes).then(() => {
      // Whoever hears first finds every row of the group stored, by another connection.
      settled.push(id);
      expect(stored(observer)).toEqual([1, 2, 3, 4, 5]);
    }));
    // Queued, not run: nothing written, nothing settled.
    expect({ rows: stored(observer), settled, inTransaction: db.inTransaction }).toEqual({ rows: [], settled: [], inTransaction: false });
    await Promise.all(works);
    expect(settled).toEqual([1, 2, 3, 4, 5]);
    expect(commits(db.name) - before).toBe(1);
    // A work queued after those settled is a commit of its own.
    await group(() => insert.run(6));
    expect(commits(db.name) - before).toBe(2);
  });

  it('runs the works in the order they came, each seeing the earlier ones\' writes, and gives each its own result', async () => {
    const { db } = database();
    const group = groupCommit(db);
    const count = db.prepare('SELECT COUNT(*) FROM t').pluck();
    const results = await Promise.all([1, 2, 3].map((id) => group(() => {
      db.prepare('INSERT INTO t (id) VALUES (?)').run(id);
      return count.get();
    })));
    expect(results).toEqual([1, 2, 3]);
  });

  it('rolls back a work that throws, alone: it is rejected with its own error, the others are stored', async () => {
    const { db, observer } = database();
    const group = groupCommit(db);
    const before = commits(db.name);
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const refused = new Error('refused');
    const outcomes = await Promise.allSettled([
      group(() => insert.run(1)),
      group(() => {
        insert.run(2);
        insert.run(3);
        throw refused;
      }),
      // The same key as the refused work's: its writes are gone before this one runs.
      group(() => insert.run(2)),
      group(() => insert.run(1)), // a constraint error of SQLite's: refused alone as well
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(refused);
    expect(String((outcomes[3] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(stored(observer)).toEqual([1, 2]);
    expect(commits(db.name) - before).toBe(1);
  });

  it('rejects every work of the group, and stores none, when the commit fails', async () => {
    const { db, observer } = database();
    const group = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (id, parent) VALUES (?, ?)');
    // A deferred foreign key is checked at COMMIT: the second work's row has no parent, so the group's COMMIT fails.
    const outcomes = await Promise.allSettled([
      group(() => insert.run(1, null)),
      group(() => insert.run(2, 99)),
      group(() => insert.run(3, null)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const o of outcomes) expect(String((o as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/);
    expect({ rows: stored(observer), inTransaction: db.inTransaction }).toEqual({ rows: [], inTransaction: false });
    // The next group is not touched by it.
    await group(() => insert.run(4, null));
    expect(stored(observer)).toEqual([4]);
  });

  it('rejects every work of the group when one ends the transaction, and runs none of the rest outside it', async () => {
    const { db, observer } = database();
    const group = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const ran: number[] = [];
    const outcomes = await Promise.allSettled([
      group(() => insert.run(1)),
      // As SQLite does on some I/O and full-disk errors: the transaction is gone when the work returns.
      group(() => db.exec('ROLLBACK')),
      group(() => {
        ran.push(3);
        return insert.run(3);
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect({ ran, rows: stored(observer), inTransaction: db.inTransaction }).toEqual({ ran: [], rows: [], inTransaction: false });
  });

  it('splits more works than its limit across turns, one commit each, all settled in order', async () => {
    const { db, observer } = database();
    const group = groupCommit(db, 3);
    const before = commits(db.name);
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const settled: number[] = [];
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((id) => group(() => insert.run(id)).then(() => settled.push(id))));
    expect(settled).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stored(observer)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(commits(db.name) - before).toBe(3);
  });

  it('answers no work inside a transaction left open on the connection, where its commit would not be the last', async () => {
    const { db, observer } = database();
    const group = groupCommit(db);
    const work = group(() => db.prepare('INSERT INTO t (id) VALUES (1)').run());
    db.exec('BEGIN');
    await expect(work).rejects.toThrow(/transaction is open/);
    db.exec('ROLLBACK');
    expect(stored(observer)).toEqual([]);
  });

  it('rejects the works of a group whose database was closed before its turn', async () => {
    const { db } = database();
    const group = groupCommit(db);
    const work = group(() => db.prepare('INSERT INTO t (id) VALUES (1)').run());
    db.close();
    await expect(work).rejects.toThrow(/not open/);
  });
});
