/**
 * The log copied back on a thread of its own (db/checkpointer.ts): the
 * server's connection never does it, the log stays bounded, a reader that
 * held it back is caught up after without a commit, both files are served,
 * and a failed thread gives the automatic checkpoint back.
 *
 * How far a log runs ahead of its copy-back is read here from its wal-index
 * header directly, not through the checkpointer, and not with a checkpoint
 * (which would do the work it is meant to observe).
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { FILES_SCHEMA, filesPathFor, openDatabase, WAL_CHECKPOINT_PAGES, type Db } from './database.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';

const dirs: string[] = [];
const open: Db[] = [];
const running: Checkpointer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
  open.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function database(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-checkpointer-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'ombud.db'), { migrate: false });
  open.push(db);
  db.exec('CREATE TABLE t (id BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID');
  db.exec(`CREATE TABLE ${FILES_SCHEMA}.b (id BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID`);
  return db;
}

/** The wal-index header of the log at `path`: its frames (mxFrame at 16) and those copied back (nBackfill at 96); little-endian here. */
function walIndex(path: string): { length: number; backfill: number } {
  const header = readFileSync(`${path}-shm`).subarray(0, 100);
  return { length: header.readUInt32LE(16), backfill: header.readUInt32LE(96) };
}

/** Frames of the log at `path` not yet copied back. */
function ahead(path: string): number {
  const { length, backfill } = walIndex(path);
  return length - backfill;
}

/** One commit of `rows` rows of 3,000 bytes: about one page each. */
function commit(db: Db, rows: number, table = 't'): void {
  const insert = db.prepare(`INSERT INTO ${table} (id, v) VALUES (?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(randomBytes(16), randomBytes(3000));
  })();
}

async function until(condition: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await sleep(5);
  }
  return true;
}

/**
 * Once the thread copies back: a commit past its threshold, then none until the log is all copied back. Its start
 * (a thread, SQLite loaded in it) takes longest on a machine busy with other tests, and is not what is measured.
 */
async function threadStarted(db: Db): Promise<void> {
  commit(db, 100);
  expect(await until(() => ahead(db.name) === 0, 30_000)).toBe(true);
}

describe('the log copied back on its own thread', () => {
  it('turns the automatic checkpoint off on the server\'s connection and keeps the log bounded without it', async () => {
    const db = database();
    running.push(startCheckpointer(db, { pages: 64, everyMs: 10 }));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await threadStarted(db);
    // 150 commits of ~20 pages: 3,000 frames if nothing copied them back.
    for (let i = 0; i < 150; i++) {
      commit(db, 20);
      await sleep(15);
    }
    expect(await until(() => ahead(db.name) < 64)).toBe(true);
    // The log file keeps its largest size; restarted as it was copied back, it stayed far below 3,000 frames
    // (with room for a thread that the machine's other work kept waiting).
    expect(statSync(`${db.name}-wal`).size).toBeLessThan(1000 * 4120);
  });

  it('starts the log over under a steady stream of commits, by having the server\'s thread copy back the rest of a pass', async () => {
    const db = database();
    running.push(startCheckpointer(db, { pages: 64, everyMs: 5, rest: 40 }));
    await threadStarted(db);
    // Commits one after the other, only letting the event loop turn between them, as a busy server does: a
    // checkpoint beside them never finds the log all copied back, and without the rest copied back on this thread
    // the log seldom starts over. Counted are the restarts (the log's length falling between two commits), not its
    // size after a time, which a machine busy with other work would decide.
    let restarts = 0;
    for (let rows = 0, last = walIndex(db.name).length; restarts < 20 && rows < 20_000; rows += 10) {
      commit(db, 10);
      // The log's length falls only when it starts over.
      const now = walIndex(db.name).length;
      if (now < last) restarts += 1;
      last = now;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // In 20,000 rows, without the rest copied back here: 6 restarts, with the log up to 33,000 frames; with it,
    // about 250, every few hundred frames.
    expect(restarts).toBe(20);
  }, 60_000);

  it('copies back what a reader held back once it lets go, without a commit of the server\'s', async () => {
    const db = database();
    running.push(startCheckpointer(db, { pages: 64, everyMs: 10 }));
    const reader = new Database(db.name, { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM t').get();
      for (let i = 0; i < 15; i++) commit(db, 20);
      await sleep(200);
      // Nothing committed after the reader's instant can be copied back while it reads.
      expect(ahead(db.name)).toBeGreaterThanOrEqual(250);
      reader.exec('ROLLBACK');
    } finally {
      reader.close();
    }
    // No commit of the server's from here on: only the thread can copy the log back.
    expect(await until(() => ahead(db.name) === 0)).toBe(true);
  });

  it('copies the files\' file\'s log back too', async () => {
    const db = database();
    running.push(startCheckpointer(db, { pages: 64, everyMs: 10 }));
    // A reader of the files' file holds its log until the commits are made, so that they are seen to be there.
    const reader = new Database(filesPathFor(db.name), { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM b').get();
      for (let i = 0; i < 10; i++) commit(db, 20, `${FILES_SCHEMA}.b`);
      expect(ahead(filesPathFor(db.name))).toBeGreaterThanOrEqual(200);
      reader.exec('ROLLBACK');
    } finally {
      reader.close();
    }
    expect(await until(() => ahead(filesPathFor(db.name)) === 0)).toBe(true);
  });

  it('closes its own connections when stopped, so the server\'s is the last and removes the log', async () => {
    const db = database();
    const checkpointer = startCheckpointer(db, { pages: 64, everyMs: 10 });
    commit(db, 20);
    await sleep(50);
    await checkpointer.stop();
    db.close();
    expect(existsSync(`${db.name}-wal`)).toBe(false);
  });

  it('keeps a process whose last handle closed alive until stopped, so what follows the stop runs', () => {
    // As server/main.ts stops: nothing else is left when stop() is called. The thread, unreferenced while it
    // runs, must hold the process until it has ended; else the process exits there, the database unclosed.
    const dir = mkdtempSync(join(tmpdir(), 'ombud-checkpointer-'));
    dirs.push(dir);
    const script = `
      import { writeFileSync } from 'node:fs';
      import { openDatabase, startCheckpointer } from ${JSON.stringify(new URL('./index.ts', import.meta.url).href)};
      const db = openDatabase(${JSON.stringify(join(dir, 'ombud.db'))}, { migrate: false });
      db.exec('CREATE TABLE t (v)');
      const checkpointer = startCheckpointer(db, { everyMs: 10 });
      setTimeout(() => {
        db.exec('INSERT INTO t VALUES (1)');
        void checkpointer.stop().then(() => {
          db.close();
          writeFileSync(${JSON.stringify(join(dir, 'stopped'))}, 'yes');
        });
      }, 50);
    `;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { stdio: 'pipe', timeout: 30_000 });
    expect(existsSync(join(dir, 'stopped'))).toBe(true);
    expect(existsSync(join(dir, 'ombud.db-wal'))).toBe(false);
  });

  it('gives the server\'s connection its automatic checkpoint back when the thread fails', async () => {
    const db = database();
    // The thread's connection cannot open a file that is not where it was: the server's is open already.
    const moved = `${db.name}.moved`;
    renameSync(db.name, moved);
    const errors: Error[] = [];
    try {
      running.push(startCheckpointer(db, { pages: 64, everyMs: 10, onError: (e) => errors.push(e) }));
      expect(await until(() => errors.length > 0)).toBe(true);
    } finally {
      renameSync(moved, db.name);
    }
    expect(errors).toHaveLength(1);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CHECKPOINT_PAGES);
  });

  it('finds SQLite from its own module, not from the working directory, which a service may set anywhere', async () => {
    const db = database();
    const errors: Error[] = [];
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      running.push(startCheckpointer(db, { pages: 64, everyMs: 10, onError: (e) => errors.push(e) }));
      commit(db, 100);
      expect(await until(() => ahead(db.name) === 0 || errors.length > 0)).toBe(true);
    } finally {
      process.chdir(cwd);
    }
    expect(errors).toEqual([]);
  });

  it('does nothing for a database in memory', async () => {
    const db = openDatabase(':memory:', { migrate: false });
    open.push(db);
    const checkpointer = startCheckpointer(db);
    await checkpointer.stop();
    expect(db.open).toBe(true);
  });
});
