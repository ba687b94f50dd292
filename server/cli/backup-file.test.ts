/**
 * The backup formats (docs/protocol.md "v2: reporter events and backups",
 * "Backups: files beside the database"): a fixed vector for the key
 * derivation and for whole small files of formats 2 and 3, so another
 * implementation can be checked against this one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BACKUP_FORMAT, BackupFileError, contentDigest, deriveBackupKey, extractContent, openBackup, PLAIN_FORMAT, writeBackup,
  type BackupHeader, type EncryptedHeader, type LegacyEncryptedHeader, type PlainHeader,
} from './backup-file.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ombud-bfile-'));
  dirs.push(d);
  return d;
};

/** The fixed vector's tag for format 3 (docs/protocol.md; checked against another AES-GCM, Python's cryptography). */
const TAG_V3 = '616b768221c20a0596cfd266826043c3';

const VECTOR = {
  passphrase: 'correct horse battery staple',
  kdf: { name: 'argon2id' as const, memoryKiB: 65_536, iterations: 3, parallelism: 1, salt: '000102030405060708090a0b0c0d0e0f' },
  key: '0d1a3c6523c8f06e4e0af9c515aa5b5448cfebd6838f2d52c3d8b6ef8ddc3c2e',
};

describe('backup file, format 2 (before the files\' file: still read)', () => {
  it('derives the key of the fixed vector (Argon2id, 64 MiB, 3 passes, 1 lane, 32 bytes)', async () => {
    expect((await deriveBackupKey(VECTOR.passphrase, VECTOR.kdf)).toString('hex')).toBe(VECTOR.key);
    // NFC: the same passphrase typed with a combining accent gives the same key.
    const composed = await deriveBackupKey('café au lait, s’il vous plaît', VECTOR.kdf);
    expect((await deriveBackupKey('cafe\u0301 au lait, s’il vous plaît', VECTOR.kdf)).equals(composed)).toBe(true);
  });

  it('lays out magic, length, header (associated data), ciphertext and tag as documented, and reads it back', async () => {
    const dir = tempDir();
    const database = join(dir, 'db');
    writeFileSync(database, 'SQLite format 3\0 (a stand-in)');
    const secret = Buffer.alloc(32, 7);
    const header: LegacyEncryptedHeader = {
      format: 2, schemaVersion: 15, createdAt: '2026-01-05T10:00:00.000Z', databaseBytes: readFileSync(database).length, secretBytes: 32,
      kdf: VECTOR.kdf, cipher: { name: 'aes-256-gcm', nonce: '101112131415161718191a1b' },
    };
    const key = Buffer.from(VECTOR.key, 'hex');
    const file = join(dir, 'b.ombud');
    const out = openSync(file, 'w');
    const dbFd = openSync(database, 'r');
    writeBackup(out, header, { database: dbFd }, secret, key);
    closeSync(out);
    closeSync(dbFd);

    const bytes = readFileSync(file);
    const json = JSON.stringify(header);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('OMBUDBAK');
    expect(bytes.readUInt32BE(8)).toBe(json.length);
    expect(bytes.subarray(12, 12 + json.length).toString('utf8')).toBe(json);
    expect(bytes.length).toBe(12 + json.length + header.databaseBytes + 32 + 16);
    // The fixed vector of the whole file: its last 16 bytes (the GCM tag over header and content).
    expect(bytes.subarray(-16).toString('hex')).toBe('59f348ae929918808f90bbbb6e0b68c5');

    const backup = openBackup(file, 15);
    const restored = join(dir, 'restored');
    const fd = openSync(restored, 'w');
    try {
      expect(extractContent(backup, { database: fd }, key)).toEqual(secret);
    } finally {
      closeSync(fd);
      backup.close();
    }
    expect(readFileSync(restored)).toEqual(readFileSync(database));

    const wrong = openBackup(file, 15);
    const sink = openSync(join(dir, 'sink'), 'w');
    try {
      expect(() => extractContent(wrong, { database: sink }, Buffer.alloc(32))).toThrow(BackupFileError);
    } finally {
      closeSync(sink);
      wrong.close();
    }
  });
});

/** Writes `header` with the stand-ins' content to a new file in `dir`; returns its path. */
function written(dir: string, header: BackupHeader, database: string, files: string | undefined, secret: Buffer, key?: Buffer): string {
  const file = join(dir, `b${header.format}.ombud`);
  const out = openSync(file, 'w');
  const fds = { database: openSync(database, 'r'), files: files === undefined ? undefined : openSync(files, 'r') };
  try {
    writeBackup(out, header, fds, secret, key);
  } finally {
    [out, fds.database, ...(fds.files === undefined ? [] : [fds.files])].forEach((fd) => closeSync(fd));
  }
  return file;
}

/** Extracts `file` into `dir`/db and `dir`/files; returns the secret and the two files' bytes. */
function extracted(dir: string, file: string, latestSchema: number, key?: Buffer) {
  const backup = openBackup(file, latestSchema);
  const fds = { database: openSync(join(dir, 'db.out'), 'w'), files: openSync(join(dir, 'files.out'), 'w') };
  try {
    const secret = extractContent(backup, fds, key);
    return { secret, database: readFileSync(join(dir, 'db.out')), files: readFileSync(join(dir, 'files.out')) };
  } finally {
    closeSync(fds.database);
    closeSync(fds.files);
    backup.close();
  }
}

describe('backup file, formats 3 and 4 (with the files\' file)', () => {
  const standIns = (dir: string) => {
    const database = join(dir, 'db');
    const files = join(dir, 'db-files');
    writeFileSync(database, 'SQLite format 3\0 (a stand-in)');
    writeFileSync(files, 'SQLite format 3\0 (the files\' stand-in)');
    return { database, files, secret: Buffer.alloc(32, 7) };
  };

  it('numbers both above 2, so that an Ombud that reads formats up to 2 refuses them as made by a newer one', () => {
    expect([BACKUP_FORMAT, PLAIN_FORMAT]).toEqual([3, 4]);
  });

  it('lays out magic, length, header, ciphertext of database ‖ files\' file ‖ secret and tag as documented, and reads it back', () => {
    const dir = tempDir();
    const { database, files, secret } = standIns(dir);
    const header: EncryptedHeader = {
      format: 3, schemaVersion: 26, createdAt: '2026-01-05T10:00:00.000Z', databaseBytes: readFileSync(database).length,
      filesBytes: readFileSync(files).length, secretBytes: 32, kdf: VECTOR.kdf, cipher: { name: 'aes-256-gcm', nonce: '101112131415161718191a1b' },
    };
    const key = Buffer.from(VECTOR.key, 'hex');
    const file = written(dir, header, database, files, secret, key);

    const bytes = readFileSync(file);
    const json = JSON.stringify(header);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('OMBUDBAK');
    expect(bytes.readUInt32BE(8)).toBe(json.length);
    expect(bytes.subarray(12, 12 + json.length).toString('utf8')).toBe(json);
    expect(bytes.length).toBe(12 + json.length + header.databaseBytes + header.filesBytes + 32 + 16);
    // The fixed vector of the whole file: its last 16 bytes (the GCM tag over header and content).
    expect(bytes.subarray(-16).toString('hex')).toBe(TAG_V3);

    const back = extracted(dir, file, 26, key);
    expect(back.secret).toEqual(secret);
    expect(back.database).toEqual(readFileSync(database));
    expect(back.files).toEqual(readFileSync(files));

    // A flipped byte of the files' section fails the tag.
    const altered = Buffer.from(bytes);
    altered[12 + json.length + header.databaseBytes + 3]! ^= 0x01;
    writeFileSync(file, altered);
    expect(() => extracted(dir, file, 26, key)).toThrow(/passphrase is wrong, or the backup file was altered/);
  });

  it('writes format 4 in the clear with the SHA-256 of database ‖ files\' file ‖ secret, and reads it back', () => {
    const dir = tempDir();
    const { database, files, secret } = standIns(dir);
    const sizes = { databaseBytes: readFileSync(database).length, filesBytes: readFileSync(files).length };
    const fds = { database: openSync(database, 'r'), files: openSync(files, 'r') };
    let sha256: string;
    try {
      sha256 = contentDigest(fds, sizes, secret);
    } finally {
      closeSync(fds.database);
      closeSync(fds.files);
    }
    const header: PlainHeader = { format: 4, schemaVersion: 26, createdAt: '2026-01-05T10:00:00.000Z', ...sizes, secretBytes: 32, sha256 };
    const file = written(dir, header, database, files, secret);
    const bytes = readFileSync(file);
    const content = Buffer.concat([readFileSync(database), readFileSync(files), secret]);
    expect(bytes.subarray(-content.length)).toEqual(content);
    expect(sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const back = extracted(dir, file, 26);
    expect([back.secret, back.database, back.files]).toEqual([secret, readFileSync(database), readFileSync(files)]);
  });

  it('refuses a header whose files\' size does not belong to its format (none in 3 or 4, one in 1 or 2)', () => {
    const dir = tempDir();
    const { database, secret } = standIns(dir);
    const databaseBytes = readFileSync(database).length;
    const base = { schemaVersion: 20, createdAt: '2026-01-05T10:00:00.000Z', databaseBytes, secretBytes: 32 };
    const fds = { database: openSync(database, 'r') };
    const sha256 = contentDigest(fds, { databaseBytes, filesBytes: 0 }, secret);
    closeSync(fds.database);
    const cases: Array<Record<string, unknown>> = [
      { format: 4, ...base, sha256 }, // no filesBytes
      { format: 1, ...base, filesBytes: 0, sha256 },
    ];
    for (const header of cases) {
      const file = written(dir, header as unknown as BackupHeader, database, undefined, secret);
      expect(() => openBackup(file, 26)).toThrow(/corrupted \(its header is unreadable\)/);
    }
    // With filesBytes 0 (a database before schema 26), format 4 is read.
    const fine = written(dir, { format: 4, ...base, filesBytes: 0, sha256 }, database, undefined, secret);
    expect(extracted(dir, fine, 26).files.length).toBe(0);
  });
});
