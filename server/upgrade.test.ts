/**
 * Upgrades that cannot lose data.
 *
 * A database is made at each earlier schema (1 … current-1) by applying only
 * the first N migrations, and filled with the rows of a real case: made at
 * the current schema through the API (real OpenPGP ciphertext from crypto/:
 * the report, a reporter's message and its file), then copied row by row
 * into the older schema, each table with the columns that schema has (the
 * migrations only ever add tables and columns, which a test below checks;
 * but 026 moved the files' bodies out to the files' file, from where they
 * are copied back into the older schemas' `body` columns, or into their
 * own files' file from 026 on).
 * `ombud upgrade` then backs it up and migrates it, and the case opens by
 * its token through the status API, and its report, message and file decrypt.
 *
 * And a migration that fails half way leaves the database exactly as before,
 * over one step and over several, with the backup named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptPayload, encryptPayload, fromBase64Url, fromUtf8, randomBytes, utf8 } from '../crypto/index.ts';
import type { StatusView } from '../common/api.ts';
import { backupBeforeUpgrade, loadMigrations, MigrationError, openDatabase, schemaVersion, type Db, type Migration } from '../db/index.ts';
import { FILES_BESIDE_MIGRATION, FILES_SCHEMA } from '../db/database.ts';
import { runUpgrade } from './cli/upgrade.ts';
import { createTestServer, encryptMessage, fetchSolvedPow, json, type TestServer } from './testing.ts';

const migrations = loadMigrations();
const latest = migrations.at(-1)!.version;
const secret = new Uint8Array(randomBytes(32));
let dir: string;
let source: TestServer;
let report: Awaited<ReturnType<TestServer['submitReport']>>;
let messageId: string;
let fileId: string;
const REPORT = 'The line supervisor locks the fire exit during night shifts.';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-upgrade-'));
  source = await createTestServer({ dbPath: join(dir, 'source.db'), secret });
  report = await source.submitReport({ plaintext: utf8(REPORT) });
  const view = (await request(source.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;
  const recipients = [...view.teamKeys, view.reporterPublicKey];
  const pow = await fetchSolvedPow(source.app);
  const ticket = (await request(source.app).post('/api/uploads/ticket').set(json).send({ pow }).expect(200)).body.ticket as string;
  const file = await encryptPayload({ data: utf8('photo of the locked door'), recipients });
  fileId = (await request(source.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
    .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(file)).expect(201)).body.uploadId as string;
  const body = await encryptMessage('it happened again', recipients);
  messageId = (await request(source.app).post('/api/status/messages').set(json)
    .send({ ...report.credentials, body, attachments: [fileId], uploadTicket: ticket }).expect(201)).body.id as string;
});
afterAll(() => {
  source?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tablesOf = (db: Db | Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`).all() as { name: string }[]).map((r) => r.name);
const columnsOf = (db: Db | Database.Database, table: string): string[] =>
  (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);

/** The tables whose `body` column migration 026 moved to the files' file (db/database.ts attachFiles). */
const FILES_MOVED = new Set(['attachments', 'staged_uploads']);

/** A database at schema `n`, holding the source's rows as far as that schema has room for them. */
function databaseAtSchema(n: number, folder = `schema-${n}`): string {
  const path = join(dir, folder, 'ombud.db');
  mkdirSync(join(dir, folder));
  const old = openDatabase(path, { migrations: migrations.slice(0, n) });
  try {
    old.pragma('foreign_keys = OFF');
    old.transaction(() => {
      for (const table of tablesOf(old)) {
        const have = new Set(columnsOf(source.db, table));
        // Before schema 26 a file's body was a column of its row; since, it lies in the files' file, by the same id.
        const bodyMoved = FILES_MOVED.has(table) && !have.has('body');
        const columns = columnsOf(old, table).filter((c) => have.has(c) || (bodyMoved && c === 'body'));
        const select = columns.map((c) => (bodyMoved && c === 'body' ? 'b.body' : `t."${c}"`)).join(', ');
        const from = bodyMoved ? `"${table}" t JOIN files.bodies b ON b.id = t.id` : `"${table}" t`;
        const rows = source.db.prepare(`SELECT ${select} FROM ${from}`).raw().all() as unknown[][];
        // OR REPLACE: a migration may seed a row of its own (024: audit_implied_since's one row); the source's wins.
        const insert = old.prepare(`INSERT OR REPLACE INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        for (const row of rows) insert.run(...row);
      }
      // From schema 26 on, the bodies lie in the files' file, which the old database has attached too.
      if (n >= FILES_BESIDE_MIGRATION) {
        const insert = old.prepare(`INSERT INTO ${FILES_SCHEMA}.bodies (id, body) VALUES (?, ?)`);
        for (const row of source.db.prepare(`SELECT id, body FROM ${FILES_SCHEMA}.bodies`).raw().all() as unknown[][]) insert.run(...row);
      }
    })();
    old.pragma('foreign_keys = ON');
    expect(old.pragma('foreign_key_check')).toEqual([]);
    expect(schemaVersion(old)).toBe(n);
    expect((old.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n).toBe(1);
  } finally {
    old.close();
  }
  return path;
}

describe('upgrading a database made by each earlier schema', () => {
  it('the migrations only add tables and columns (so a newer row, cut to an older schema, is a row that schema could hold), but for the files\' bodies 026 moved', () => {
    const at = (n: number) => {
      const db = openDatabase(':memory:', { migrations: migrations.slice(0, n) });
      const shape = new Map(tablesOf(db).map((t) => [t, columnsOf(db, t)]));
      db.close();
      return shape;
    };
    let before = at(1);
    for (let n = 2; n <= latest; n++) {
      const after = at(n);
      for (const [table, columns] of before) {
        // The one exception: 026 moved the files' bodies to the files' file, where they keep their row's id.
        const kept = n === FILES_BESIDE_MIGRATION && FILES_MOVED.has(table) ? columns.filter((c) => c !== 'body') : columns;
        expect(after.get(table), `${table} at schema ${n}`).toEqual(expect.arrayContaining(kept));
      }
      before = after;
    }
  });

  for (let n = 1; n < latest; n++) {
    it(`from schema ${n}: backed up, migrated, and the case opens by its token and decrypts`, async () => {
      const path = databaseAtSchema(n);
      const folder = join(dir, `schema-${n}`);
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
      expect(runUpgrade([], { dataDir: folder, publicUrl: 'http://127.0.0.1:8080', now: () => Date.UTC(2026, 11, 3, 16, 0, 0) }, io), out.join('\n')).toBe(0);
      const backup = `ombud.db.pre-upgrade-v${String(n).padStart(3, '0')}-to-v${String(latest).padStart(3, '0')}-20261203T160000Z`;
      // The files' file is backed up beside it (empty before 026: the bodies are still in the database's copy).
      expect(readdirSync(folder).filter((f) => f.includes('.pre-upgrade-')).sort()).toEqual([backup, `${backup}-files`]);
      for (const made of [backup, `${backup}-files`]) expect(statSync(join(folder, made)).mode & 0o777).toBe(0o600);
      const copy = new Database(join(folder, backup!), { readonly: true });
      expect(schemaVersion(copy)).toBe(n);
      copy.close();

      const t = await createTestServer({ dbPath: path, secret, team: false });
      try {
        expect(schemaVersion(t.db)).toBe(latest);
        const view = (await request(t.app).post('/api/status').set(json).send(report.credentials).expect(200)).body as StatusView;
        const key = report.reporterKey.privateKey;
        expect(fromUtf8(await decryptPayload({ ciphertext: fromBase64Url(view.report), key }))).toBe(REPORT);
        expect(view.messages.map((m) => m.id)).toEqual([messageId]);
        expect(JSON.parse(fromUtf8(await decryptPayload({ ciphertext: fromBase64Url(view.messages[0]!.body), key }))).text).toBe('it happened again');
        if (n >= 2) {
          // The attachments table came with schema 2; the file keeps its id and bytes (before schema 4 it was not yet tied to the message).
          const res = await request(t.app).post(`/api/status/attachments/${fileId}`).set(json).send(report.credentials)
            .buffer(true).parse((r, cb) => {
              const chunks: Buffer[] = [];
              r.on('data', (d: Buffer) => chunks.push(d));
              r.on('end', () => cb(null, Buffer.concat(chunks)));
            }).expect(200);
          expect(fromUtf8(await decryptPayload({ ciphertext: new Uint8Array(res.body as Buffer), key }))).toBe('photo of the locked door');
        }
      } finally {
        t.close();
      }
    });
  }
});

describe('the automatic backup', () => {
  it('refuses to overwrite a file, removes nothing of it, and leaves the database as it was', () => {
    const path = databaseAtSchema(latest - 1, 'backup-refused');
    const taken = join(dir, 'backup-refused', 'taken');
    writeFileSync(taken, 'someone else\'s file');
    expect(() => openDatabase(path, { beforeUpgrade: (db) => (backupBeforeUpgrade(db, taken), taken) })).toThrow(/EEXIST/);
    expect(readFileSync(taken, 'utf8')).toBe('someone else\'s file');
    const db = new Database(path, { readonly: true });
    expect(schemaVersion(db)).toBe(latest - 1);
    db.close();
  });

  it('removes its file when the copy fails after the file was made (here: the connection is gone), and says nothing was changed', () => {
    const path = databaseAtSchema(latest - 1, 'backup-fails');
    const db = openDatabase(path, { migrate: false });
    db.close();
    const target = join(dir, 'backup-fails', 'copy');
    expect(() => backupBeforeUpgrade(db, target)).toThrow(/could not back up the database before upgrading it .*nothing was changed/);
    expect(readdirSync(join(dir, 'backup-fails')).sort()).toEqual(['ombud-files.db', 'ombud.db']);
  });
});

describe('a migration that fails half way', () => {
  const failing = (version: number): Migration => ({
    version,
    name: `${String(version).padStart(3, '0')}-fails-half-way.sql`,
    sql: `CREATE TABLE half_way (x INTEGER); INSERT INTO half_way VALUES (1); UPDATE cases SET stage = 'closed'; INSERT INTO no_such_table VALUES (1);`,
  });
  const dump = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      const schema = db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all();
      const data = Object.fromEntries(tablesOf(db).map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
      return { version: schemaVersion(db), schema, data };
    } finally {
      db.close();
    }
  };

  for (const from of [latest - 1, latest - 4]) {
    it(`leaves the database exactly as it was when upgrading from schema ${from} (${latest + 1 - from} migrations, the last one failing), and names the backup`, () => {
      const path = databaseAtSchema(from, `failing-from-${from}`);
      const before = dump(path);
      const backupPath = join(dir, `fail-${from}.backup`);
      let error: unknown;
      try {
        openDatabase(path, {
          migrations: [...migrations, failing(latest + 1)],
          beforeUpgrade: (db) => {
            backupBeforeUpgrade(db, backupPath);
            return backupPath;
          },
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).message).toMatch(new RegExp(`migration ${String(latest + 1).padStart(3, "0")}-fails-half-way\\.sql failed .*no such table.*left at schema ${from}`));
      expect((error as MigrationError).backup).toBe(backupPath);
      expect(dump(path)).toEqual(before);
      expect(dump(backupPath)).toEqual(before);
      expect(statSync(backupPath).mode & 0o777).toBe(0o600);
    });
  }
});
