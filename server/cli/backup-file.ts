/**
 * The backup file: one file that holds everything a restore needs.
 *
 *   "OMBUDBAK"                      8 bytes, magic
 *   header length                   4 bytes, unsigned big-endian
 *   header                          UTF-8 JSON: { format, schemaVersion, createdAt,
 *                                   databaseBytes, secretBytes, sha256 }
 *   content                         the database file, then the server secret
 *
 * `sha256` is the hex SHA-256 of the content, so a truncated or altered copy
 * is refused before anything is written. `format` is this layout's version:
 * a reader refuses a newer one. The content is ciphertext and workflow data
 * (the server is blind) plus the server secret, which keys the look-up of
 * cases by token: the file must be kept as safely as the data folder.
 *
 * Files are read and written in chunks, so a large database is never held
 * in memory whole.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

export const BACKUP_MAGIC = Buffer.from('OMBUDBAK', 'ascii');
export const BACKUP_FORMAT = 1;
const CHUNK = 1 << 20;
const MAX_HEADER = 64 * 1024;

export interface BackupHeader {
  format: number;
  schemaVersion: number;
  /** ISO 8601, when the snapshot was taken. */
  createdAt: string;
  databaseBytes: number;
  secretBytes: number;
  sha256: string;
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

/** SHA-256 of a database file followed by the secret. */
export function contentDigest(databaseFd: number, databaseBytes: number, secret: Uint8Array): string {
  const hash = createHash('sha256');
  copyRange(databaseFd, 0, databaseBytes, (chunk) => hash.update(chunk));
  return hash.update(secret).digest('hex');
}

/** Writes header + database + secret to the open file `outFd`. */
export function writeBackup(outFd: number, header: BackupHeader, databaseFd: number, secret: Uint8Array): void {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  writeSync(outFd, Buffer.concat([BACKUP_MAGIC, length, json]));
  copyRange(databaseFd, 0, header.databaseBytes, (chunk) => writeSync(outFd, chunk));
  writeSync(outFd, secret);
}

export interface OpenedBackup {
  header: BackupHeader;
  /** Where the content starts in the file. */
  contentOffset: number;
  fd: number;
  close(): void;
}

const isHeader = (h: unknown): h is BackupHeader => {
  const o = h as Record<string, unknown>;
  return typeof o === 'object' && o !== null && Number.isInteger(o.format) && Number.isInteger(o.schemaVersion)
    && typeof o.createdAt === 'string' && Number.isInteger(o.databaseBytes) && Number.isInteger(o.secretBytes)
    && typeof o.sha256 === 'string' && /^[0-9a-f]{64}$/.test(o.sha256);
};

/**
 * Opens a backup and checks it whole: magic, header, format version, length
 * and checksum. `latestSchema` is this build's newest migration. Throws
 * BackupFileError naming the problem; nothing is written.
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
    let header: unknown;
    try {
      header = JSON.parse(json.toString('utf8'));
    } catch {
      header = undefined;
    }
    if (!isHeader(header)) throw new BackupFileError(`${path} is corrupted (its header is unreadable); use another copy of the backup`);
    if (header.format > BACKUP_FORMAT) {
      throw new BackupFileError(
        `${path} was made by a newer Ombud (backup format ${header.format}; this one reads format ${BACKUP_FORMAT}): upgrade Ombud, then restore`,
      );
    }
    if (header.schemaVersion > latestSchema) {
      throw new BackupFileError(
        `${path} holds a database of schema version ${header.schemaVersion}, newer than this Ombud (${latestSchema}): upgrade Ombud, then restore`,
      );
    }
    const contentOffset = 12 + headerLength;
    const expected = header.databaseBytes + header.secretBytes;
    if (size - contentOffset < expected) {
      throw new BackupFileError(
        `${path} is truncated: ${size - contentOffset} of ${expected} bytes after the header; the copy is incomplete — copy the backup file again`,
      );
    }
    if (size - contentOffset > expected) throw new BackupFileError(`${path} is corrupted (it has bytes after its end); use another copy of the backup`);
    const hash = createHash('sha256');
    copyRange(fd, contentOffset, expected, (chunk) => hash.update(chunk));
    if (hash.digest('hex') !== header.sha256) {
      throw new BackupFileError(`${path} is corrupted: its checksum does not match its content; use another copy of the backup`);
    }
    return { header, contentOffset, fd, close: () => closeSync(fd) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Copies `length` bytes of the backup from `offset` to the open file `outFd`. */
export function extract(backup: OpenedBackup, offset: number, length: number, outFd: number): void {
  const copied = copyRange(backup.fd, backup.contentOffset + offset, length, (chunk) => writeSync(outFd, chunk));
  if (copied !== length) throw new BackupFileError('the backup file changed while it was read; try again');
}
