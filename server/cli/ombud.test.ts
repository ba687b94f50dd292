/**
 * The operator's tool, command by command: `runOmbud` with injected output
 * for the details, and at least one real `npx tsx server/cli/ombud.ts …`
 * process per command for the wiring (configuration from the environment,
 * exit codes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createRepositories, loadMigrations, openDatabase, schemaVersion, type Repositories } from '../../db/index.ts';
import { snapshotDatabase } from '../../db/backup.ts';
import { createCasesRepo } from '../../db/cases.repo.ts';
import { createChannelsRepo } from '../../db/channels.repo.ts';
import { FILES_BESIDE_MIGRATION, filesPathFor } from '../../db/database.ts';
import { seedOrganisation } from '../../db/fixtures.ts';
import { createInvestigatorsRepo } from '../../db/investigators.repo.ts';
import { createTeamsRepo } from '../../db/teams.repo.ts';
import { loadOrCreateServerSecret } from '../server-secret.ts';
import { createTestClock } from '../testing/clock.ts';
import { addTeam } from '../testing/organisation.ts';
import { caseRecord } from '../../db/fixtures.ts';
import { BACKUP_MAGIC, deriveBackupKey, newEncryption, writeBackup, type LegacyEncryptedHeader } from './backup-file.ts';
import { runOmbud } from './ombud.ts';

/** Real processes (npx tsx …) take seconds each, more on a loaded machine. */
const SLOW = { timeout: 120_000 };

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-cli-'));
  dirs.push(dir);
  return dir;
}

/** A data folder as the server leaves it: migrated database, server secret, optionally a team with an admin. */
async function dataFolder(options: { team?: boolean } = {}): Promise<string> {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'ombud.db'));
  loadOrCreateServerSecret(dir);
  if (options.team) await addTeam({ repos: createRepositories(db), clock: createTestClock() });
  db.close();
  return dir;
}

/** The backup passphrase the tests use (OMBUD_BACKUP_PASSPHRASE). */
const PASSPHRASE = 'correct horse battery staple';

/** `passphrase` null: no OMBUD_BACKUP_PASSPHRASE. */
async function run(argv: string[], dataDir: string, passphrase: string | null = PASSPHRASE) {
  const backupPassphrase = passphrase ?? undefined;
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOmbud(argv, { dataDir, publicUrl: 'https://speakup.example', now: () => Date.parse('2026-01-05T10:00:00Z'), backupPassphrase }, {
    out: (l) => out.push(l), err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function spawnOmbud(args: string[], dataDir: string) {
  const res = spawnSync('npx', ['tsx', 'server/cli/ombud.ts', ...args], {
    env: { PATH: process.env.PATH, OMBUD_DATA_DIR: dataDir, OMBUD_PUBLIC_URL: 'https://speakup.example', OMBUD_BACKUP_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8', timeout: 60_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** A format-2 backup of `work/snapshot.db` (database ‖ secret, encrypted), as Ombud wrote them before the files' file. */
async function formatTwoBackup(work: string, schemaVersion: number, secret: Buffer, name: string): Promise<string> {
  const header: LegacyEncryptedHeader = {
    format: 2, schemaVersion, createdAt: '2026-01-05T10:00:00.000Z',
    databaseBytes: statSync(join(work, 'snapshot.db')).size, secretBytes: secret.length, ...newEncryption(),
  };
  const key = await deriveBackupKey(PASSPHRASE, header.kdf);
  const file = join(work, name);
  const out = openSync(file, 'w');
  const database = openSync(join(work, 'snapshot.db'), 'r');
  try {
    writeBackup(out, header, { database }, secret, key);
  } finally {
    closeSync(out);
    closeSync(database);
  }
  return file;
}

describe('ombud (the tool)', SLOW, () => {
  it('prints its help with every command and the exit codes, and refuses an unknown command with exit 2', async () => {
    const dir = tempDir();
    const help = await run(['--help'], dir);
    expect(help.code).toBe(0);
    for (const name of ['setup-link', 'backup', 'restore', 'purge', 'audit-verify', 'health']) {
      expect(help.out).toContain(name);
      const own = await run([name, '--help'], dir);
      expect(own.code).toBe(0);
      expect(own.out).toMatch(/^Usage: npm run (ombud -- |audit:verify)/);
      expect(own.out).toContain('Exit status');
    }
    const unknown = await run(['frobnicate'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command: frobnicate');
    const badOption = await run(['purge', '--everything'], dir);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toMatch(/--everything.*try --help/);
  });

  it('says which folder to set when there is no database (exit 2), in a real process', () => {
    const res = spawnOmbud(['health'], join(tempDir(), 'nowhere'));
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/no Ombud database at .*set OMBUD_DATA_DIR/);
  });
});

describe('setup-link', SLOW, () => {
  it('prints a working one-time link while no administrator exists, in a real process', async () => {
    const dir = await dataFolder();
    const res = spawnOmbud(['setup-link'], dir);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/https:\/\/speakup\.example\/setup#[A-Za-z0-9_-]{43}/);
    const db = openDatabase(join(dir, 'ombud.db'));
    expect(createRepositories(db).audit.list().at(-1)?.action).toBe('setup.link_issued');
    db.close();
  });

  it('refuses once an administrator exists, and says how colleagues join instead', async () => {
    const dir = await dataFolder({ team: true });
    const res = await run(['setup-link'], dir);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/already has an administrator.*invite colleagues/s);
    expect(res.out).not.toContain('/setup#');
  });
});

describe('backup and restore', SLOW, () => {
  it('writes one 0600 file, encrypted under the passphrase, and restores it into a new folder with every case and the secret', async () => {
    const dir = await dataFolder({ team: true });
    const out = join(tempDir(), 'ombud.backup');
    const backup = spawnOmbud(['backup', '--out', out], dir);
    expect(backup.code, backup.err).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 8).equals(BACKUP_MAGIC)).toBe(true);
    const header = JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32BE(8)).toString('utf8'));
    expect(header).toMatchObject({
      format: 3, schemaVersion: expect.any(Number), createdAt: expect.any(String), secretBytes: 32,
      databaseBytes: expect.any(Number), filesBytes: statSync(join(dir, 'ombud-files.db')).size,
      kdf: { name: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1, salt: expect.stringMatching(/^[0-9a-f]{32}$/) },
      cipher: { name: 'aes-256-gcm', nonce: expect.stringMatching(/^[0-9a-f]{24}$/) },
    });
    expect(header.sha256).toBeUndefined();
    // Neither the secret nor the database's own text is in the file.
    expect(bytes.includes(readFileSync(join(dir, 'server-secret')))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from('CREATE TABLE'))).toBe(false);
    expect(readdirSync(join(out, '..'))).toEqual(['ombud.backup']); // no temporary file left

    const target = join(tempDir(), 'restored');
    const restore = spawnOmbud(['restore', '--from', out, '--data-dir', target], dir);
    expect(restore.code, restore.err).toBe(0);
    expect(restore.out).toMatch(/Restored 0 cases of 1 teams/);
    expect(readFileSync(join(target, 'server-secret'))).toEqual(readFileSync(join(dir, 'server-secret')));
    for (const name of ['server-secret', 'ombud.db', 'ombud-files.db']) expect(statSync(join(target, name)).mode & 0o777).toBe(0o600);
    const db = openDatabase(join(target, 'ombud.db'));
    expect(createRepositories(db).teams.list()).toHaveLength(1);
    db.close();
  });

  it('restores a backup from an older Ombud, upgrading its schema', async () => {
    const dir = tempDir();
    const older = loadMigrations().slice(0, 9);
    const db = openDatabase(join(dir, 'ombud.db'), { migrations: older });
    db.close();
    loadOrCreateServerSecret(dir);
    const file = join(tempDir(), 'old.ombud');
    expect((await run(['backup', '--out', file], dir)).code).toBe(0);
    const target = join(tempDir(), 'new');
    const res = await run(['restore', '--from', file, '--data-dir', target], '/unused');
    expect(res.code, res.err).toBe(0);
    const restored = openDatabase(join(target, 'ombud.db'), { migrate: false });
    expect(schemaVersion(restored)).toBe(loadMigrations().at(-1)?.version);
    restored.close();
  });

  it('refuses to overwrite an existing backup file or to run without --out', async () => {
    const dir = await dataFolder();
    const out = join(tempDir(), 'taken');
    writeFileSync(out, 'mine');
    expect((await run(['backup', '--out', out], dir)).code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect((await run(['backup'], dir)).err).toMatch(/--out FILE/);
  });

  async function backupFile(): Promise<{ dir: string; file: string }> {
    const dir = await dataFolder({ team: true });
    const file = join(tempDir(), 'b.ombud');
    expect((await run(['backup', '--out', file], dir)).code).toBe(0);
    return { dir, file };
  }

  it('refuses a truncated backup, writing nothing', async () => {
    const { file } = await backupFile();
    truncateSync(file, statSync(file).size - 1000);
    const target = join(tempDir(), 'new');
    const res = await run(['restore', '--from', file, '--data-dir', target], '/unused');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/truncated.*copy the backup file again/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a corrupted unencrypted backup (checksum), writing nothing', async () => {
    const dir = await dataFolder({ team: true });
    const file = join(tempDir(), 'plain.ombud');
    expect((await run(['backup', '--out', file, '--unencrypted'], dir, null)).code).toBe(0);
    const bytes = readFileSync(file);
    bytes[bytes.length - 100]! ^= 0xff;
    writeFileSync(file, bytes);
    const target = tempDir();
    const res = await run(['restore', '--from', file, '--data-dir', target], '/unused');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/corrupted: its checksum does not match.*another copy/);
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses a backup from a newer format or schema version, and a file that is no backup', async () => {
    const { file } = await backupFile();
    const bytes = readFileSync(file);
    const length = bytes.readUInt32BE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8'));
    const rewrite = (changes: object) => {
      const json = Buffer.from(JSON.stringify({ ...header, ...changes }));
      const len = Buffer.alloc(4);
      len.writeUInt32BE(json.length);
      const path = join(tempDir(), 'altered.ombud');
      writeFileSync(path, Buffer.concat([BACKUP_MAGIC, len, json, bytes.subarray(12 + length)]));
      return path;
    };
    const newerFormat = await run(['restore', '--from', rewrite({ format: 5 }), '--data-dir', join(tempDir(), 'a')], '/unused');
    expect(newerFormat.code).toBe(1);
    expect(newerFormat.err).toMatch(/newer Ombud \(backup format 5; this one reads formats up to 4\).*upgrade Ombud, then restore/);
    const newerSchema = await run(['restore', '--from', rewrite({ schemaVersion: 999 }), '--data-dir', join(tempDir(), 'b')], '/unused');
    expect(newerSchema.code).toBe(1);
    expect(newerSchema.err).toMatch(/schema version 999, newer than this Ombud.*upgrade Ombud/);
    const notBackup = join(tempDir(), 'notes.txt');
    writeFileSync(notBackup, 'just some text that is long enough');
    const res = await run(['restore', '--from', notBackup, '--data-dir', join(tempDir(), 'c')], '/unused');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/not an Ombud backup file/);
  });

  it('refuses a non-empty data folder and leaves it untouched, in a real process', async () => {
    const { dir, file } = await backupFile();
    const before = readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]);
    const res = spawnOmbud(['restore', '--from', file], dir);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/is not empty.*never overwrites.*move that folder aside/s);
    expect(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))])).toEqual(before);
  });

  it('refuses a backup when the server secret is missing, since no case could be found by token without it', async () => {
    const dir = await dataFolder();
    chmodSync(join(dir, 'server-secret'), 0o600);
    rmSync(join(dir, 'server-secret'));
    const out = join(tempDir(), 'x.ombud');
    const res = await run(['backup', '--out', out], dir);
    expect(res.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('encrypted backups and hostile restores', SLOW, () => {
  async function backupOf(dir: string, extra: string[] = []): Promise<string> {
    const file = join(tempDir(), 'b.ombud');
    const res = await run(['backup', '--out', file, ...extra], dir);
    expect(res.code, res.err).toBe(0);
    return file;
  }
  const restoreInto = async (file: string, passphrase: string | null = PASSPHRASE, extra: string[] = []) => {
    const target = join(tempDir(), 'restored');
    return { target, ...(await run(['restore', '--from', file, '--data-dir', target, ...extra], '/unused', passphrase)) };
  };

  it('needs a passphrase to write a backup, refuses a short one, and writes format 4 only with --unencrypted', async () => {
    const dir = await dataFolder({ team: true });
    const out = join(tempDir(), 'x.ombud');
    const none = await run(['backup', '--out', out], dir, null);
    expect([none.code, none.err]).toEqual([2, expect.stringMatching(/encrypted with a passphrase: give --passphrase-file FILE or set OMBUD_BACKUP_PASSPHRASE/)]);
    const short = await run(['backup', '--out', out], dir, 'tooshort');
    expect([short.code, short.err]).toEqual([2, expect.stringMatching(/too short: use at least 12 characters/)]);
    expect(existsSync(out)).toBe(false);
    const plain = await run(['backup', '--out', out, '--unencrypted'], dir, null);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out).toMatch(/NOT encrypted/);
    const bytes = readFileSync(out);
    expect(JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32BE(8)).toString('utf8'))).toMatchObject({ format: 4, filesBytes: expect.any(Number) });
    const restored = await restoreInto(out, null);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/was not encrypted \(format 4\)/);
    expect(existsSync(join(restored.target, 'ombud-files.db'))).toBe(true);
  });

  it('reads the passphrase from --passphrase-file, and restore needs the same one', async () => {
    const dir = await dataFolder({ team: true });
    const pfile = join(tempDir(), 'pass.txt');
    writeFileSync(pfile, 'a long passphrase from a file\n');
    const file = await backupOf(dir, ['--passphrase-file', pfile]);
    const missing = await restoreInto(file, null);
    expect([missing.code, missing.err]).toEqual([2, expect.stringMatching(/is encrypted: give its passphrase/)]);
    expect(existsSync(missing.target)).toBe(false);
    const wrong = await restoreInto(file); // the environment's passphrase is another one
    expect([wrong.code, wrong.err]).toEqual([1, expect.stringMatching(/passphrase is wrong, or the backup file was altered/)]);
    expect(existsSync(wrong.target)).toBe(false);
    const right = await restoreInto(file, null, ['--passphrase-file', pfile]);
    expect(right.code, right.err).toBe(0);
    expect(readFileSync(join(right.target, 'server-secret'))).toEqual(readFileSync(join(dir, 'server-secret')));
  });

  it('refuses a flipped bit anywhere — content, tag or header — with nothing written', async () => {
    const dir = await dataFolder({ team: true });
    const file = await backupOf(dir);
    const bytes = readFileSync(file);
    const headerEnd = 12 + bytes.readUInt32BE(8);
    const header = bytes.subarray(12, headerEnd).toString('utf8');
    const createdAtDigit = 12 + header.indexOf('"createdAt":"') + '"createdAt":"'.length + 3; // the year's last digit: still a valid header
    for (const at of [headerEnd + 10, bytes.length - 5, createdAtDigit]) {
      const altered = Buffer.from(bytes);
      altered[at]! ^= at === createdAtDigit ? 0x01 : 0x80;
      const path = join(tempDir(), 'flipped.ombud');
      writeFileSync(path, altered);
      const res = await restoreInto(path);
      expect([res.code, res.err]).toEqual([1, expect.stringMatching(/passphrase is wrong, or the backup file was altered/)]);
      expect(existsSync(res.target)).toBe(false);
      expect(readdirSync(join(res.target, '..'))).toEqual([]); // no staging folder left either
    }
  });

  // Test names spelled out whole: docs/threat-model.md quotes them.
  const hostile: Array<[string, string, RegExp]> = [
    ['refuses a backup with an extra trigger, whose passphrase and tag are right, leaving the folder untouched', `CREATE TRIGGER drop_follow_ups AFTER INSERT ON messages BEGIN DELETE FROM messages WHERE id = NEW.id; END`, /unexpected trigger drop_follow_ups/],
    ['refuses a backup with a dropped cases table, whose passphrase and tag are right, leaving the folder untouched', `PRAGMA foreign_keys = OFF; DROP TABLE cases`, /missing table cases/],
    ['refuses a backup with an extra view, whose passphrase and tag are right, leaving the folder untouched', `CREATE VIEW everything AS SELECT * FROM cases`, /unexpected view everything/],
    ['refuses a backup with a changed column, whose passphrase and tag are right, leaving the folder untouched', `ALTER TABLE teams RENAME COLUMN name TO label`, /changed table teams/],
  ];
  for (const [name, sql, why] of hostile) {
    it(name, async () => {
      const dir = await dataFolder({ team: true });
      const db = openDatabase(join(dir, 'ombud.db'));
      db.exec(sql);
      db.close();
      const file = await backupOf(dir);
      const parent = tempDir();
      const target = join(parent, 'data');
      mkdirSync(target); // exists and is empty: it must stay so
      const res = await run(['restore', '--from', file, '--data-dir', target], '/unused');
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/schema is not Ombud's/);
      expect(res.err).toMatch(why);
      expect(readdirSync(target)).toEqual([]);
      expect(readdirSync(parent)).toEqual(['data']); // no staging folder left beside it
    });
  }

  it('never prints terminal escape sequences from a backup header (createdAt) — such a header is refused', async () => {
    const dir = await dataFolder({ team: true });
    const file = join(tempDir(), 'plain.ombud');
    expect((await run(['backup', '--out', file, '--unencrypted'], dir, null)).code).toBe(0);
    const bytes = readFileSync(file);
    const length = bytes.readUInt32BE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8'));
    // The checksum of format 4 covers the content only: the header can be rewritten without breaking it.
    const json = Buffer.from(JSON.stringify({ ...header, createdAt: '\u001b]0;pwned\u0007\u001b[2J2026-01-05T10:00:00.000Z' }));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length);
    const path = join(tempDir(), 'escape.ombud');
    writeFileSync(path, Buffer.concat([BACKUP_MAGIC, len, json, bytes.subarray(12 + length)]));
    const res = await restoreInto(path, null);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/corrupted \(its header is unreadable\)/);
    expect(`${res.out}${res.err}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(existsSync(res.target)).toBe(false);
  });
});

/** A case with one attachment whose body is `body`, written as the server does (body first, then the rows). */
function addAttachment(repos: Repositories, caseId: string, attachmentId: string, body: Uint8Array): void {
  const team = repos.teams.list()[0]!;
  const slug = repos.channels.list()[0]!.slug;
  if (!repos.cases.find(caseId)) repos.cases.create(caseRecord(slug, { id: caseId, lookupHash: `lookup-${caseId}` }), [team.id]);
  repos.uploads.putBody(attachmentId, body);
  repos.transaction(() => {
    repos.uploads.stage({ id: attachmentId, ticketId: `ticket-${attachmentId}`, keyIds: [], size: body.length, purgeAfter: Date.parse('2026-02-01T00:00:00Z') });
    repos.uploads.attach(attachmentId, caseId);
  });
}

/** A data folder with a team and two cases with attachments (one of 3 MiB, more than a chunk); returns their bodies. */
async function folderWithAttachments(): Promise<{ dir: string; bodies: Array<[caseId: string, attachmentId: string, body: Buffer]> }> {
  const dir = await dataFolder({ team: true });
  const bodies: Array<[string, string, Buffer]> = [
    ['case-files-000000001', 'file-0000000000000001', Buffer.from(patternBytes(3 * 1024 * 1024 + 17))],
    ['case-files-000000001', 'file-0000000000000002', Buffer.from('a small ciphertext')],
    ['case-files-000000002', 'file-0000000000000003', Buffer.from(patternBytes(1000))],
  ];
  const db = openDatabase(join(dir, 'ombud.db'));
  const repos = createRepositories(db);
  for (const [caseId, id, body] of bodies) addAttachment(repos, caseId, id, body);
  db.close();
  return { dir, bodies };
}

const patternBytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + (i >> 8) * 7) & 0xff));

/** SHA-256 of a body (hex): expect's deep comparison of megabytes, byte by byte, takes many seconds. */
const digestOf = (body: Uint8Array | undefined) => body && createHash('sha256').update(body).digest('hex');

/** The restored folder's attachments, read as the server reads them, as digests (digestOf). */
function bodiesIn(dir: string, bodies: Array<[string, string, Buffer]>): Array<string | undefined> {
  const db = openDatabase(join(dir, 'ombud.db'));
  try {
    const repos = createRepositories(db);
    return bodies.map(([caseId, id]) => {
      return digestOf(repos.uploads.body(caseId, id));
    });
  } finally {
    db.close();
  }
}

describe('backups with the files\' file beside the database', SLOW, () => {
  const restoreInto = async (file: string, passphrase: string | null = PASSPHRASE) => {
    const parent = tempDir();
    const target = join(parent, 'restored');
    return { parent, target, ...(await run(['restore', '--from', file, '--data-dir', target], '/unused', passphrase)) };
  };

  it('carries the database and its files\' file, and restores both owner-only with every attachment\'s body readable', async () => {
    const { dir, bodies } = await folderWithAttachments();
    for (const unencrypted of [false, true]) {
      const file = join(tempDir(), 'b.ombud');
      const backup = await run(['backup', '--out', file, ...(unencrypted ? ['--unencrypted'] : [])], dir, unencrypted ? null : PASSPHRASE);
      expect(backup.code, backup.err).toBe(0);
      expect(backup.err).toBe('');
      expect(backup.out).toMatch(/database \d+ bytes, files \d+ bytes/);
      const bytes = readFileSync(file);
      const header = JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32BE(8)).toString('utf8'));
      expect(header.format).toBe(unencrypted ? 4 : 3);
      expect(header.filesBytes).toBeGreaterThan(bodies[0]![2].length);
      // Encrypted: no body in the clear; and the work folder (snapshot and files' copy) is gone.
      if (!unencrypted) expect(bytes.includes(bodies[1]![2])).toBe(false);
      expect(readdirSync(join(file, '..'))).toEqual(['b.ombud']);

      const restored = await restoreInto(file, unencrypted ? null : PASSPHRASE);
      expect(restored.code, restored.err).toBe(0);
      expect(restored.out).toMatch(/Restored 2 cases of 1 teams/);
      expect(readdirSync(restored.target).sort()).toEqual(['ombud-files.db', 'ombud.db', 'server-secret']);
      for (const name of readdirSync(restored.target)) expect(statSync(join(restored.target, name)).mode & 0o777).toBe(0o600);
      expect(bodiesIn(restored.target, bodies)).toEqual(bodies.map(([, , body]) => digestOf(body)));
      const health = await run(['health', '--json', '--min-free-mb', '1'], restored.target);
      expect(health.code, health.out).toBe(0);
    }
  });

  it('refuses a backup with a flipped byte in its files\' section (the GCM tag), writing nothing', async () => {
    const { dir } = await folderWithAttachments();
    const file = join(tempDir(), 'b.ombud');
    expect((await run(['backup', '--out', file], dir)).code).toBe(0);
    const bytes = readFileSync(file);
    const headerEnd = 12 + bytes.readUInt32BE(8);
    const header = JSON.parse(bytes.subarray(12, headerEnd).toString('utf8'));
    bytes[headerEnd + header.databaseBytes + Math.floor(header.filesBytes / 2)]! ^= 0x01;
    writeFileSync(file, bytes);
    const res = await restoreInto(file);
    expect([res.code, res.err]).toEqual([1, expect.stringMatching(/passphrase is wrong, or the backup file was altered[\s\S]*Nothing was written/)]);
    expect(readdirSync(res.parent)).toEqual([]); // neither the target nor a staging folder
  });

  it('restores a format-2 backup (from before the files\' file), whose older database holds its bodies, into both files', async () => {
    // A data folder of schema 25, with a case and an attachment whose body is in the database, as Ombud wrote it then.
    const dir = tempDir();
    const older = loadMigrations().filter((m) => m.version < FILES_BESIDE_MIGRATION);
    const db = openDatabase(join(dir, 'ombud.db'), { migrations: older });
    const old = { teams: createTeamsRepo(db), channels: createChannelsRepo(db), investigators: createInvestigatorsRepo(db) } as unknown as Repositories;
    const { channel, team } = seedOrganisation(old);
    createCasesRepo(db).create(caseRecord(channel.slug, { id: 'case-old-00000000001', lookupHash: 'lookup-old' }), [team.id]);
    const body = Buffer.from(patternBytes(2 * 1024 * 1024 + 5));
    db.prepare(`INSERT INTO attachments (seq, id, case_id, size, body) VALUES (7, 'file-old-000000000001', 'case-old-00000000001', ?, ?)`).run(body.length, body);
    db.close();
    loadOrCreateServerSecret(dir);

    // Its backup in format 2, as the Ombud of then wrote it: database ‖ secret, encrypted.
    const work = tempDir();
    const info = await snapshotDatabase(join(dir, 'ombud.db'), join(work, 'snapshot.db'));
    expect(info).toMatchObject({ schemaVersion: FILES_BESIDE_MIGRATION - 1, files: undefined });
    const secret = readFileSync(join(dir, 'server-secret'));
    const file = await formatTwoBackup(work, info.schemaVersion, secret, 'old.ombud');

    const res = await restoreInto(file);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/Restored 1 cases of 1 teams/);
    expect(readdirSync(res.target).sort()).toEqual(['ombud-files.db', 'ombud.db', 'server-secret']);
    for (const name of readdirSync(res.target)) expect(statSync(join(res.target, name)).mode & 0o777).toBe(0o600);
    expect(bodiesIn(res.target, [['case-old-00000000001', 'file-old-000000000001', body]])).toEqual([digestOf(body)]);
    const restored = new Database(join(res.target, 'ombud.db'), { readonly: true });
    expect(schemaVersion(restored)).toBe(loadMigrations().at(-1)?.version);
    restored.close();
  });

  it('refuses a backup whose files\' file lacks an attachment\'s body, writing nothing', async () => {
    const { dir } = await folderWithAttachments();
    // Damage the data folder: one body gone from the files' file (health says so; backup warns; restore refuses).
    const files = new Database(join(dir, 'ombud-files.db'));
    files.prepare(`DELETE FROM bodies WHERE id = 'file-0000000000000002'`).run();
    files.close();
    const health = await run(['health', '--min-free-mb', '1'], dir);
    expect(health.code).toBe(1);
    expect(health.err).toMatch(/problem: 1 attachments have no body in the files' file \(ombud-files\.db\): restore the latest backup/);
    const file = join(tempDir(), 'b.ombud');
    const backup = await run(['backup', '--out', file], dir);
    expect(backup.code).toBe(0);
    expect(backup.err).toMatch(/WARNING: the snapshot fails its check \(1 attachments have no body.*restore will refuse this backup/);
    const res = await restoreInto(file);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/fails its integrity check \(1 attachments have no body in the files' file\)[\s\S]*Nothing was written/);
    expect(readdirSync(res.parent)).toEqual([]);
  });

  it('refuses a backup at schema 26 or later without a files\' file, and one whose files\' file holds a trigger', async () => {
    const dir = await dataFolder({ team: true });
    const secret = readFileSync(join(dir, 'server-secret'));
    const work = tempDir();
    const info = await snapshotDatabase(join(dir, 'ombud.db'), join(work, 'snapshot.db'));
    expect(info.files?.path).toBe(filesPathFor(join(work, 'snapshot.db')));
    // Format 2 cannot carry the files' file: a database that keeps its files beside it in one is refused.
    const file = await formatTwoBackup(work, info.schemaVersion, secret, 'no-files.ombud');
    const missing = await restoreInto(file);
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/keeps its files beside it, but the backup holds no files' file/)]);
    expect(readdirSync(missing.parent)).toEqual([]);

    const files = new Database(join(dir, 'ombud-files.db'));
    files.exec(`CREATE TRIGGER drop_bodies AFTER INSERT ON bodies BEGIN DELETE FROM bodies WHERE id = NEW.id; END`);
    files.close();
    const hostile = join(tempDir(), 'hostile.ombud');
    expect((await run(['backup', '--out', hostile], dir)).code).toBe(0);
    const res = await restoreInto(hostile);
    expect([res.code, res.err]).toEqual([1, expect.stringMatching(/holds a files' file whose schema is not Ombud's.*unexpected trigger drop_bodies/)]);
    expect(readdirSync(res.parent)).toEqual([]);
  });
});

describe('purge', SLOW, () => {
  it('runs in a real process: a dry run lists nothing to delete on a fresh database', async () => {
    const dir = await dataFolder({ team: true });
    const dry = spawnOmbud(['purge', '--dry-run'], dir);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/Dry run on \d{4}-\d{2}-\d{2}: 0 closed case\(s\)/);
    const real = spawnOmbud(['purge'], dir);
    expect(real.code).toBe(0);
    expect(real.out).toMatch(/deleted 0 closed case\(s\)/);
  });

  it('lists a due case on a dry run without deleting it, then deletes it and records case.purged', async () => {
    const dir = await dataFolder({ team: true });
    const db = openDatabase(join(dir, 'ombud.db'));
    const repos = createRepositories(db);
    const team = repos.teams.list()[0]!;
    const slug = repos.channels.list()[0]!.slug;
    repos.cases.create(caseRecord(slug, { id: 'case-due-00000000001', stage: 'closed', acknowledgedDay: '2020-01-02', closedDay: '2020-02-01' }), [team.id]);
    db.close();
    const dry = await run(['purge', '--dry-run'], dir);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/1 closed case\(s\) past retention would be deleted/);
    expect(dry.out).toContain('case-due-00000000001  closed 2020-02-01, kept 730 days');
    const real = await run(['purge'], dir);
    expect(real.out).toMatch(/deleted 1 closed case\(s\)/);
    const after = openDatabase(join(dir, 'ombud.db'));
    const afterRepos = createRepositories(after);
    expect(afterRepos.cases.find('case-due-00000000001')).toBeUndefined();
    expect(afterRepos.audit.list().at(-1)).toMatchObject({ action: 'case.purged', caseId: 'case-due-00000000001', actor: 'system' });
    after.close();
  });
});

describe('audit-verify', SLOW, () => {
  it('is the same check through the tool and through npm run audit:verify, and fails on a broken chain', async () => {
    const dir = await dataFolder({ team: true });
    const db = openDatabase(join(dir, 'ombud.db'));
    const repos = createRepositories(db);
    for (const action of ['setup.link_issued', 'setup.completed']) {
      repos.audit.append({ day: '2026-01-05', at: 1, actor: 'system', investigatorId: null, caseId: null, action, detail: {} });
    }
    db.close();
    const ok = spawnOmbud(['audit-verify'], dir);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('OK: the audit chain of 2 events is whole');
    const npm = spawnSync('npm', ['run', '-s', 'audit:verify'], { env: { PATH: process.env.PATH, OMBUD_DATA_DIR: dir }, encoding: 'utf8' });
    expect(npm.status).toBe(0);
    const tamper = openDatabase(join(dir, 'ombud.db'));
    tamper.prepare(`UPDATE audit_events SET action = 'auth.login' WHERE seq = 1`).run();
    tamper.close();
    const broken = await run(['audit-verify'], dir);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('BROKEN: audit event #1');
  });
});

describe('health', SLOW, () => {
  it('reports numbers only, as JSON, and exits 0 when healthy, in a real process', async () => {
    const dir = await dataFolder({ team: true });
    const res = spawnOmbud(['health', '--json', '--min-free-mb', '1'], dir);
    expect(res.code, res.err).toBe(0);
    const health = JSON.parse(res.out);
    expect(health).toMatchObject({
      healthy: true, problems: [], integrity: 'ok', auditChain: { ok: true, events: 0 }, cases: 0, teams: 1, investigators: 1,
    });
    expect(health.schemaVersion).toBe(health.latestSchemaVersion);
    for (const key of ['walBytes', 'databaseBytes', 'filesBytes', 'filesWalBytes', 'diskFreeBytes']) expect(health[key]).toEqual(expect.any(Number));
    expect(health.filesBytes).toBe(statSync(join(dir, 'ombud-files.db')).size);
    expect(res.out).not.toMatch(/CSR team|admin-/); // no team names, no usernames
  });

  it('is unhealthy (exit 1) with a broken audit chain, a missing secret or too little disk', async () => {
    const dir = await dataFolder();
    const db = openDatabase(join(dir, 'ombud.db'));
    createRepositories(db).audit.append({ day: '2026-01-05', at: 1, actor: 'system', investigatorId: null, caseId: null, action: 'x', detail: {} });
    db.prepare(`UPDATE audit_events SET day = '2026-01-06'`).run();
    db.close();
    rmSync(join(dir, 'server-secret'));
    const res = await run(['health', '--min-free-mb', '100000000'], dir);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/^UNHEALTHY/);
    expect(res.err).toMatch(/audit chain is broken at event #1/);
    expect(res.err).toMatch(/server secret .* missing/);
    expect(res.err).toMatch(/MB free/);
  });
});

describe('health of the files\' file', SLOW, () => {
  it('reports its size, and is unhealthy (exit 1) when it is missing', async () => {
    const dir = await dataFolder({ team: true });
    const healthy = await run(['health', '--min-free-mb', '1'], dir);
    expect(healthy.code, healthy.err).toBe(0);
    expect(healthy.out).toMatch(/files' file\s+\d+ bytes, write-ahead log \d+ bytes/);
    rmSync(join(dir, 'ombud-files.db'));
    const res = await run(['health', '--min-free-mb', '1'], dir);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/^UNHEALTHY[\s\S]*files' file\s+MISSING/);
    expect(res.err).toBe('problem: the files\' file (ombud-files.db, the encrypted attachments) is missing: restore the latest backup');
    expect(existsSync(join(dir, 'ombud-files.db'))).toBe(false); // health writes nothing
  });
});
