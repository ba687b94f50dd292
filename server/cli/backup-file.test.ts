/**
 * The encrypted backup format (docs/protocol.md "v2: reporter events and
 * backups"): a fixed vector for the key derivation and for a whole small
 * file, so another implementation can be checked against this one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupFileError, deriveBackupKey, extractContent, openBackup, writeBackup, type EncryptedHeader } from './backup-file.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ombud-bfile-'));
  dirs.push(d);
  return d;
};

const VECTOR = {
  passphrase: 'correct horse battery staple',
  kdf: { name: 'argon2id' as const, memoryKiB: 65_536, iterations: 3, parallelism: 1, salt: '000102030405060708090a0b0c0d0e0f' },
  key: '0d1a3c6523c8f06e4e0af9c515aa5b5448cfebd6838f2d52c3d8b6ef8ddc3c2e',
};

describe('backup file, format 2', () => {
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
    const header: EncryptedHeader = {
      format: 2, schemaVersion: 15, createdAt: '2026-01-05T10:00:00.000Z', databaseBytes: readFileSync(database).length, secretBytes: 32,
      kdf: VECTOR.kdf, cipher: { name: 'aes-256-gcm', nonce: '101112131415161718191a1b' },
    };
    const key = Buffer.from(VECTOR.key, 'hex');
    const file = join(dir, 'b.ombud');
    const out = openSync(file, 'w');
    const dbFd = openSync(database, 'r');
    writeBackup(out, header, dbFd, secret, key);
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
      expect(extractContent(backup, fd, key)).toEqual(secret);
    } finally {
      closeSync(fd);
      backup.close();
    }
    expect(readFileSync(restored)).toEqual(readFileSync(database));

    const wrong = openBackup(file, 15);
    const sink = openSync(join(dir, 'sink'), 'w');
    try {
      expect(() => extractContent(wrong, sink, Buffer.alloc(32))).toThrow(BackupFileError);
    } finally {
      closeSync(sink);
      wrong.close();
    }
  });
});
