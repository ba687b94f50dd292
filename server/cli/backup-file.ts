/**
 * The backup file: one file that holds everything a restore needs.
 *
 *   "OMBUDBAK"                      8 bytes, magic
 *   header length                   4 bytes, unsigned big-endian (at most 64 KiB)
 *   header                          UTF-8 JSON (below)
 *   content                         encrypted formats (3, 2): AES-256-GCM ciphertext of the plaintext, then the
 *                                   16-byte GCM tag; plain formats (4, 1): the plaintext itself
 *
 * The plaintext is the database file ‖ the files' file ‖ the server secret
 * (formats 3 and 4), or the database file ‖ the server secret (formats 2 and
 * 1, from before the files' file: their database, of a schema before 26,
 * holds its files' bodies itself). The files' file (db/database.ts
 * filesPathFor: `ombud-files.db` beside `ombud.db`) is empty (`filesBytes`
 * 0) exactly when the database's schema is older than 26.
 *
 * Format 3 (the default, docs/protocol.md "Backups: files beside the database"):
 *   { format: 3, schemaVersion, createdAt, databaseBytes, filesBytes, secretBytes,
 *     kdf: { name: "argon2id", memoryKiB, iterations, parallelism, salt },   salt: 16 bytes, hex
 *     cipher: { name: "aes-256-gcm", nonce } }                              nonce: 12 bytes, hex
 *   key = Argon2id(UTF-8 of the NFC passphrase, salt, kdf) → 32 bytes;
 *   the associated data is every byte before the content (magic, length,
 *   header), so a changed header fails like a changed byte of content or a
 *   wrong passphrase: the tag does not match, and nothing is written.
 *
 * Format 4 (`backup --unencrypted` only):
 *   { format: 4, schemaVersion, createdAt, databaseBytes, filesBytes, secretBytes, sha256 }
 *   `sha256` of the content — a checksum against accidents, not a MAC: it
 *   holds the server secret in the clear.
 *
 * Formats 2 and 1 (read, never written by `backup`): format 3's and 4's
 * headers without `filesBytes`, and no files' file in the content. The plain
 * format is not 1 any more since a reader of formats up to 2 would take a
 * format-1 header with a files' section for a corrupted file instead of
 * saying that a newer Ombud made it; formats 3 and 4 it refuses with that.
 *
 * Files are read and written in chunks, so a large database is never held in
 * memory whole. A decryption writes plaintext as it goes and learns only at
 * the end whether the tag matches: callers write into a staging folder and
 * delete it on failure (./restore.ts).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { argon2id } from 'hash-wasm';

export const BACKUP_MAGIC = Buffer.from('OMBUDBAK', 'ascii');
/** The format `backup` writes (encrypted, with the files' file). */
export const BACKUP_FORMAT = 3;
/** The format `backup --unencrypted` writes (with the files' file). */
export const PLAIN_FORMAT = 4;
/** Before the files' file: still read. */
export const LEGACY_ENCRYPTED_FORMAT = 2;
export const LEGACY_PLAIN_FORMAT = 1;
/** The newest format this build reads: a higher number was made by a newer Ombud. */
export const NEWEST_FORMAT = 4;
const CHUNK = 1 << 20;
const MAX_HEADER = 64 * 1024;
const TAG_BYTES = 16;

/** Argon2id parameters for new backups: the same cost as an investigator's password (64 MiB, 3 passes). */
export const BACKUP_KDF = Object.freeze({ name: 'argon2id' as const, memoryKiB: 65_536, iterations: 3, parallelism: 1 });
/** What a restore accepts from a header: no cheaper than new backups, and no more than 1 GiB of memory. */
const KDF_BOUNDS = { memoryKiB: [65_536, 1_048_576], iterations: [3, 64], parallelism: [1, 16] } as const;
/** A passphrase shorter than this is refused when writing a backup. */
export const MIN_PASSPHRASE_LENGTH = 12;

interface HeaderCommon {
  schemaVersion: number;
  /** ISO 8601 (UTC), when the snapshot was taken. */
  createdAt: string;
  databaseBytes: number;
  secretBytes: number;
}
interface WithFiles {
  /** The files' file's bytes; 0 when the database (schema before 26) has none. */
  filesBytes: number;
}
export interface BackupKdf {
  name: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** 16 bytes, hex. */
  salt: string;
}
interface Encryption {
  kdf: BackupKdf;
  cipher: { name: 'aes-256-gcm'; nonce: string };
}
export interface PlainHeader extends HeaderCommon, WithFiles {
  format: 4;
  sha256: string;
}
export interface EncryptedHeader extends HeaderCommon, WithFiles, Encryption {
  format: 3;
}
export interface LegacyPlainHeader extends HeaderCommon {
  format: 1;
  sha256: string;
}
export interface LegacyEncryptedHeader extends HeaderCommon, Encryption {
  format: 2;
}
export type BackupHeader = PlainHeader | EncryptedHeader | LegacyPlainHeader | LegacyEncryptedHeader;

/** Formats 4 and 1: the content in the clear, with a SHA-256. */
export const isPlain = (header: BackupHeader): header is PlainHeader | LegacyPlainHeader =>
  header.format === PLAIN_FORMAT || header.format === LEGACY_PLAIN_FORMAT;
/** The files' file's bytes in the content (none in formats 1 and 2). */
export const filesBytesOf = (header: BackupHeader): number => ('filesBytes' in header ? header.filesBytes : 0);

/** The open files of a backup's content: read when writing one, written when restoring. `files` is needed when filesBytes > 0. */
export interface ContentFiles {
  database: number;
  files?: number | undefined;
}

/** A refusal with a message that says what is wrong and what to do. */
export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

function copyRange(fromFd: number, start: number, length: number, sink: (chunk: Buffer) => void): number {
  const buffer = Buffer.alloc(CHUNK);
  let done = 0;
  while (done < length) {
    const read = readSync(fromFd, buffer, 0, Math.min(CHUNK, length - done), start + done);
    if (read === 0) break;
    sink(buffer.subarray(0, read));
    done += read;
  }
  return done;
}

/** The content's file sections in order, each with its open file. */
function sections(sizes: { databaseBytes: number; filesBytes: number }, fds: ContentFiles): Array<{ fd: number; bytes: number }> {
  if (sizes.filesBytes > 0 && fds.files === undefined) throw new Error('a backup with a files\' file needs that file');
  return [{ fd: fds.database, bytes: sizes.databaseBytes }, ...(sizes.filesBytes > 0 ? [{ fd: fds.files!, bytes: sizes.filesBytes }] : [])];
}

/** Copies every section from its file to `sink`, in order; throws if one is shorter than said. */
function readSections(parts: Array<{ fd: number; bytes: number }>, sink: (chunk: Buffer) => void): void {
  for (const part of parts) {
    if (copyRange(part.fd, 0, part.bytes, sink) !== part.bytes) throw new Error('a file of the backup changed while it was read');
  }
}

/** The 32-byte key of an encrypted backup. */
export async function deriveBackupKey(passphrase: string, kdf: BackupKdf): Promise<Buffer> {
  const key = await argon2id({
    password: Buffer.from(passphrase.normalize('NFC'), 'utf8'),
    salt: Buffer.from(kdf.salt, 'hex'),
    iterations: kdf.iterations,
    parallelism: kdf.parallelism,
    memorySize: kdf.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
  return Buffer.from(key);
}

/** Fresh KDF and cipher parameters (random salt and nonce) for a new encrypted backup. */
export function newEncryption(): Encryption {
  return {
    kdf: { ...BACKUP_KDF, salt: randomBytes(16).toString('hex') },
    cipher: { name: 'aes-256-gcm', nonce: randomBytes(12).toString('hex') },
  };
}

/** SHA-256 of the plaintext: the database file, the files' file (if any), the secret (formats 4 and 1). */
export function contentDigest(fds: ContentFiles, sizes: { databaseBytes: number; filesBytes: number }, secret: Uint8Array): string {
  const hash = createHash('sha256');
  readSections(sections(sizes, fds), (chunk) => hash.update(chunk));
  return hash.update(secret).digest('hex');
}

/** Magic, length and header: the associated data of an encrypted backup. */
function prefixOf(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([BACKUP_MAGIC, length, json]);
}

/**
 * Writes header + content to the open file `outFd`: encrypted under `key`
 * for formats 3 and 2 (the key must be `deriveBackupKey` of the header's
 * kdf), as is for formats 4 and 1. The files are read from offset 0 for the
 * header's sizes.
 */
export function writeBackup(outFd: number, header: BackupHeader, fds: ContentFiles, secret: Uint8Array, key?: Uint8Array): void {
  const parts = sections({ databaseBytes: header.databaseBytes, filesBytes: filesBytesOf(header) }, fds);
  const prefix = prefixOf(header);
  writeSync(outFd, prefix);
  if (isPlain(header)) {
    readSections(parts, (chunk) => writeSync(outFd, chunk));
    writeSync(outFd, secret);
    return;
  }
  if (!key) throw new Error('an encrypted backup needs its key');
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(header.cipher.nonce, 'hex'), { authTagLength: TAG_BYTES });
  cipher.setAAD(prefix);
  readSections(parts, (chunk) => writeSync(outFd, cipher.update(chunk)));
  writeSync(outFd, cipher.update(secret));
  writeSync(outFd, cipher.final());
  writeSync(outFd, cipher.getAuthTag());
}

export interface OpenedBackup {
  header: BackupHeader;
  /** Magic, length and header as read (the associated data of formats 3 and 2). */
  prefix: Buffer;
  /** Where the content starts in the file. */
  contentOffset: number;
  fd: number;
  close(): void;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const isInt = (v: unknown, min = 0) => Number.isSafeInteger(v) && (v as number) >= min;
const isHex = (v: unknown, bytes: number) => typeof v === 'string' && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(v);
const within = (v: unknown, [lo, hi]: readonly [number, number]) => isInt(v) && (v as number) >= lo && (v as number) <= hi;

/** Only what the format says: anything else (terminal escapes in createdAt, a huge KDF) is "corrupted". */
function headerProblem(h: unknown): string | undefined {
  const o = h as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'unreadable';
  if (!isInt(o.format, 1)) return 'unreadable';
  if ((o.format as number) > NEWEST_FORMAT) return undefined; // refused below, naming the format
  if (!isInt(o.schemaVersion, 1) || typeof o.createdAt !== 'string' || !ISO_INSTANT.test(o.createdAt)
    || !isInt(o.databaseBytes) || !isInt(o.secretBytes)) return 'unreadable';
  const legacy = o.format === LEGACY_PLAIN_FORMAT || o.format === LEGACY_ENCRYPTED_FORMAT;
  // Formats 1 and 2 carry no files' file: a filesBytes there would be read by nobody.
  if (legacy ? 'filesBytes' in o : !isInt(o.filesBytes)) return 'unreadable';
  if (o.format === PLAIN_FORMAT || o.format === LEGACY_PLAIN_FORMAT) return isHex(o.sha256, 32) ? undefined : 'unreadable';
  const kdf = o.kdf as Record<string, unknown> | undefined;
  const cipher = o.cipher as Record<string, unknown> | undefined;
  if (typeof kdf !== 'object' || kdf === null || kdf.name !== 'argon2id' || !isHex(kdf.salt, 16)) return 'unreadable';
  if (typeof cipher !== 'object' || cipher === null || cipher.name !== 'aes-256-gcm' || !isHex(cipher.nonce, 12)) return 'unreadable';
  if (!within(kdf.memoryKiB, KDF_BOUNDS.memoryKiB) || !within(kdf.iterations, KDF_BOUNDS.iterations)
    || !within(kdf.parallelism, KDF_BOUNDS.parallelism)) return 'its key derivation parameters are out of bounds';
  return undefined;
}

/**
 * Opens a backup and checks what can be checked without the passphrase:
 * magic, header, format version, length, and (formats 4 and 1) the checksum.
 * `latestSchema` is this build's newest migration. Throws BackupFileError
 * naming the problem; nothing is written.
 */
export function openBackup(path: string, latestSchema: number): OpenedBackup {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Buffer.alloc(12);
    readSync(fd, start, 0, 12, 0);
    if (size < 12 || !start.subarray(0, 8).equals(BACKUP_MAGIC)) {
      throw new BackupFileError(`${path} is not an Ombud backup file (made by \`npm run ombud -- backup\`); check the path`);
    }
    const headerLength = start.readUInt32BE(8);
    if (headerLength > MAX_HEADER) throw new BackupFileError(`${path} is corrupted (its header is unreadable); use another copy of the backup`);
    if (12 + headerLength > size) throw new BackupFileError(`${path} is truncated (it ends inside its header); copy the backup file again`);
    const json = Buffer.alloc(headerLength);
    readSync(fd, json, 0, headerLength, 12);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const problem = headerProblem(parsed);
    if (problem) throw new BackupFileError(`${path} is corrupted (${problem === 'unreadable' ? 'its header is unreadable' : problem}); use another copy of the backup`);
    const header = parsed as BackupHeader;
    if (header.format > NEWEST_FORMAT) {
      throw new BackupFileError(
        `${path} was made by a newer Ombud (backup format ${header.format}; this one reads formats up to ${NEWEST_FORMAT}): upgrade Ombud, then restore`,
      );
    }
    if (header.schemaVersion > latestSchema) {
      throw new BackupFileError(
        `${path} holds a database of schema version ${header.schemaVersion}, newer than this Ombud (${latestSchema}): upgrade Ombud, then restore`,
      );
    }
    const contentOffset = 12 + headerLength;
    const expected = header.databaseBytes + filesBytesOf(header) + header.secretBytes + (isPlain(header) ? 0 : TAG_BYTES);
    if (size - contentOffset < expected) {
      throw new BackupFileError(
        `${path} is truncated: ${size - contentOffset} of ${expected} bytes after the header; the copy is incomplete — copy the backup file again`,
      );
    }
    if (size - contentOffset > expected) throw new BackupFileError(`${path} is corrupted (it has bytes after its end); use another copy of the backup`);
    if (isPlain(header)) {
      const hash = createHash('sha256');
      copyRange(fd, contentOffset, expected, (chunk) => hash.update(chunk));
      if (hash.digest('hex') !== header.sha256) {
        throw new BackupFileError(`${path} is corrupted: its checksum does not match its content; use another copy of the backup`);
      }
    }
    return { header, prefix: Buffer.concat([start, json]), contentOffset, fd, close: () => closeSync(fd) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Writes the database to `fds.database` and the files' file (when the
 * backup has one) to `fds.files`, and returns the server secret.
 * Formats 3 and 2: decrypts with `key` and checks the tag at the end — on a
 * wrong key or any altered byte it throws BackupFileError AFTER writing
 * unchecked plaintext to those files: pass files in a staging folder that is
 * deleted on failure. Formats 4 and 1: copies (the checksum was checked by
 * openBackup).
 */
export function extractContent(backup: OpenedBackup, fds: ContentFiles, key?: Uint8Array): Buffer {
  const { header } = backup;
  const parts = sections({ databaseBytes: header.databaseBytes, filesBytes: filesBytesOf(header) }, fds);
  const total = parts.reduce((n, p) => n + p.bytes, 0) + header.secretBytes;
  let part = 0;
  let inPart = 0;
  const secretParts: Buffer[] = [];
  // Plaintext in order: each file's section to its file, then the rest to the secret.
  const route = (plain: Buffer) => {
    let at = 0;
    while (at < plain.length && part < parts.length) {
      const n = Math.min(plain.length - at, parts[part]!.bytes - inPart);
      if (n > 0) writeSync(parts[part]!.fd, plain, at, n);
      at += n;
      inPart += n;
      if (inPart === parts[part]!.bytes) {
        part += 1;
        inPart = 0;
      }
    }
    if (at < plain.length) secretParts.push(Buffer.from(plain.subarray(at)));
  };
  if (isPlain(header)) {
    if (copyRange(backup.fd, backup.contentOffset, total, route) !== total) throw new BackupFileError('the backup file changed while it was read; try again');
    return Buffer.concat(secretParts);
  }
  if (!key) throw new Error('an encrypted backup needs its key');
  const tag = Buffer.alloc(TAG_BYTES);
  if (readSync(backup.fd, tag, 0, TAG_BYTES, backup.contentOffset + total) !== TAG_BYTES) {
    throw new BackupFileError('the backup file changed while it was read; try again');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.cipher.nonce, 'hex'), { authTagLength: TAG_BYTES });
  decipher.setAAD(backup.prefix);
  decipher.setAuthTag(tag);
  if (copyRange(backup.fd, backup.contentOffset, total, (chunk) => route(decipher.update(chunk))) !== total) {
    throw new BackupFileError('the backup file changed while it was read; try again');
  }
  try {
    route(decipher.final());
  } catch {
    throw new BackupFileError(
      'the passphrase is wrong, or the backup file was altered (it does not authenticate); try the passphrase again, or use another copy of the backup',
    );
  }
  return Buffer.concat(secretParts);
}
