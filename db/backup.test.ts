/**
 * The snapshot of a database and its files' file (db/backup.ts) while the
 * server deletes cases and their files, or stores new ones: the main copy is
 * the main file as of one instant, and the files' copy is taken after it. A
 * body deleted after that instant would be named by the main copy and
 * missing from the files' copy: the backup's mark holds the deletion back
 * until both are taken. A body stored after it is in the files' copy, and
 * its row is not in the main copy, which is allowed (a restore sweeps it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRepositories, filesPathFor, openDatabase, type Db, type Repositories } from './index.ts';
import { inspectDatabase, snapshotDatabase } from './backup.ts';
import { caseRecord, seedOrganisation } from './fixtures.ts';

const dirs: string[] = [];
const open: Db[] = [];
afterEach(() => {
  open.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A case with one file, stored as intake stores it: the body committed first, then the rows that name it. */
function addCaseWithFile(repos: Repositories, org: ReturnType<typeof seedOrganisation>, name: string): string {
  repos.uploads.putBody(`${name}-file`, randomBytes(8192));
  repos.transaction(() => {
    repos.cases.create(caseRecord(org.channel.slug, { id: name, lookupHash: `${name}-lookup` }), [org.team.id]);
    repos.uploads.stage({ id: `${name}-file`, ticketId: `${name}-ticket`, keyIds: [], size: 8192, purgeAfter: Date.now() + 3_600_000 });
    repos.uploads.attach(`${name}-file`, name);
  });
  return name;
}

function databaseWithFiles(cases: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-snapshot-'));
  dirs.push(dir);
  const path = join(dir, 'ombud.db');
  const db = openDatabase(path);
  open.push(db);
  const repos = createRepositories(db);
  const org = seedOrganisation(repos);
  const ids = Array.from({ length: cases }, (_, i) => addCaseWithFile(repos, org, `case-${i}`));
  return { dir, path, db, repos, ids, org };
}

/**
 * Snapshots `path` into `dest` while `step(i)` runs, as the server's work would, between the backup's steps
 * (each of its copies is one step; the rest of the process runs between them), until the snapshot is done
 * or `step` returns false. Resolves with how many steps ran.
 */
async function snapshotWhile(path: string, dest: string, step: (i: number) => boolean | void): Promise<number> {
  let stop = false;
  let ran = 0;
  const work = (async () => {
    while (!stop && step(ran) !== false) {
      ran += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await snapshotDatabase(path, dest);
  stop = true;
  await work;
  return ran;
}

describe('the snapshot of a database with its files\' file', () => {
  it('copies both, each checked, and leaves neither its mark in the copy nor one in the database', async () => {
    const { dir, path, db } = databaseWithFiles(20);
    const info = await snapshotDatabase(path, join(dir, 'snap.db'));
    expect(info.files?.path).toBe(filesPathFor(join(dir, 'snap.db')));
    expect(inspectDatabase(join(dir, 'snap.db')).integrity).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) FROM backup_marks').pluck().get()).toBe(0);
    const copy = openDatabase(join(dir, 'snap.db'), { migrate: false });
    open.push(copy);
    expect(copy.prepare('SELECT COUNT(*) FROM backup_marks').pluck().get()).toBe(0);
    expect(copy.prepare('SELECT COUNT(*) FROM files.bodies').pluck().get()).toBe(20);
  });

  it('never names a body its files\' copy lacks while cases are deleted and the queue drained meanwhile', async () => {
    const { dir, path, repos, ids } = databaseWithFiles(300);
    let paused = 0;
    // The server's side: a case deleted, then the drain the purge runs after each batch.
    const deleted = await snapshotWhile(path, join(dir, 'snap.db'), (i) => {
      if (i >= ids.length) return false;
      repos.transaction(() => repos.retention.deleteCase(ids[i]!));
      if (repos.uploads.drainDeletions(Date.now()).paused) paused += 1;
    });
    expect(deleted).toBeGreaterThan(0);
    expect(paused).toBeGreaterThan(0); // the deletion ran while the backup was under way, and waited
    expect(inspectDatabase(join(dir, 'snap.db')).integrity).toBe('ok');
    // Once the backup is done, what waited is deleted.
    expect(repos.uploads.drainDeletions(Date.now())).toEqual({ deleted: paused > 0 ? expect.any(Number) : 0, paused: false });
    expect(repos.uploads.deletionsQueued()).toBe(0);
  });

  it('copies the main file as of one instant, and every file its copy names, while reports with files arrive meanwhile', async () => {
    const { dir, path, repos, org } = databaseWithFiles(50);
    // The server's side: a report with its file.
    const added = await snapshotWhile(path, join(dir, 'snap.db'), (i) => void addCaseWithFile(repos, org, `late-${i}`));
    expect(added).toBeGreaterThan(0);
    // Every attachment in the main copy has its body in the files' copy (inspectDatabase checks it).
    expect(inspectDatabase(join(dir, 'snap.db')).integrity).toBe('ok');
    const copy = openDatabase(join(dir, 'snap.db'), { migrate: false });
    open.push(copy);
    const cases = copy.prepare('SELECT COUNT(*) FROM cases').pluck().get() as number;
    const bodies = copy.prepare('SELECT COUNT(*) FROM files.bodies').pluck().get() as number;
    const named = copy.prepare('SELECT COUNT(*) FROM attachments').pluck().get() as number;
    // Reports arrived while the backup ran; the main copy has those before its instant, the files' copy at least their bodies.
    expect(cases).toBeGreaterThanOrEqual(50);
    expect(cases).toBeLessThan(50 + added);
    expect(named).toBe(cases);
    expect(bodies).toBeGreaterThanOrEqual(named);
  });
});
