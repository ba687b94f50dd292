/**
 * `npm run ombud -- backup --out FILE`: a consistent snapshot of the data
 * folder while the server runs (db/backup.ts) — the database, its files'
 * file beside it and the server secret — in one file (./backup-file.ts).
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { snapshotDatabase, inspectDatabase } from '../../db/backup.ts';
import { SECRET_FILE } from '../server-secret.ts';
import { SERVER_SECRET_BYTES } from '../security/secrets.ts';
import {
  BACKUP_FORMAT, contentDigest, deriveBackupKey, MIN_PASSPHRASE_LENGTH, newEncryption, PLAIN_FORMAT, writeBackup, type BackupHeader,
} from './backup-file.ts';
import { databasePath, EXIT, parseOptions, printable, readPassphrase, UsageError, writeFileAtomically, type CliEnv, type CliOutput } from './io.ts';

export const HELP = `Usage: npm run ombud -- backup --out FILE [--passphrase-file PFILE | --unencrypted]

Writes a backup of the Ombud in OMBUD_DATA_DIR to FILE, while the server
keeps running and taking reports: a consistent snapshot of the database (as
of one instant), of the files' file beside it (ombud-files.db: the
encrypted attachments) and the server secret, in one file, ENCRYPTED and
authenticated with a passphrase (Argon2id, AES-256-GCM; the header —
format and schema version, creation time, key derivation parameters — is
authenticated too). FILE is written under a temporary name, flushed to
disk, then renamed, with mode 0600; an existing FILE is never overwritten.

The passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters) is the first line of PFILE, or
OMBUD_BACKUP_PASSPHRASE. Keep it apart from the backups: without it a
backup cannot be restored, and nobody can recover it.

--unencrypted writes the plain format 4 instead: the server secret in the
clear, which together with the database lets anyone holding the file test
guessed case tokens offline. Use it only onto storage that is itself
encrypted and as safe as the data folder.

Restore with: npm run ombud -- restore --from FILE --data-dir NEW_FOLDER [--passphrase-file PFILE]

Exit status: 0 written; 1 the snapshot or the write failed (nothing is left
at FILE); 2 wrong usage (no passphrase, a short one), FILE exists, or no
readable database.
`;

export async function runBackup(args: readonly string[], env: CliEnv, io: CliOutput): Promise<number> {
  const options = parseOptions(args, {
    out: { type: 'string', short: 'o' }, 'passphrase-file': { type: 'string' }, unencrypted: { type: 'boolean' },
  });
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (!options.out) throw new UsageError('say where to write the backup: backup --out FILE (try --help)');
  const out = resolve(options.out);
  const source = databasePath(env.dataDir);
  if (!existsSync(source)) throw new UsageError(`no Ombud database at ${source}: set OMBUD_DATA_DIR to the data folder`);
  if (existsSync(out)) throw new UsageError(`${out} already exists; choose a new file name (a backup never overwrites one)`);
  if (!existsSync(dirname(out))) throw new UsageError(`the folder ${dirname(out)} does not exist; create it first`);
  const passphrase = readPassphrase(options['passphrase-file'], env);
  if (options.unencrypted && passphrase !== undefined && options['passphrase-file'] !== undefined) {
    throw new UsageError('--unencrypted and --passphrase-file contradict each other; choose one');
  }
  if (!options.unencrypted && passphrase === undefined) {
    throw new UsageError('a backup is encrypted with a passphrase: give --passphrase-file FILE or set OMBUD_BACKUP_PASSPHRASE (or, knowingly, --unencrypted; try --help)');
  }
  if (!options.unencrypted && passphrase !== undefined && [...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new UsageError(`the backup passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters (several words are easiest)`);
  }
  const secretPath = join(env.dataDir, SECRET_FILE);
  const secret = existsSync(secretPath) ? readFileSync(secretPath) : undefined;
  if (!secret || secret.length !== SERVER_SECRET_BYTES) {
    io.err(`refused: ${secretPath} is missing or not ${SERVER_SECRET_BYTES} bytes; without it no case could be found by its token after a restore`);
    return EXIT.failed;
  }

  // The snapshot waits beside FILE (same file system, owner only) and is removed afterwards.
  const work = mkdtempSync(join(dirname(out), '.ombud-backup-'));
  try {
    const snapshot = join(work, 'ombud.db');
    let info;
    try {
      info = await snapshotDatabase(source, snapshot);
    } catch (error) {
      io.err(`the snapshot of ${source} failed: ${(error as Error).message}; nothing was written`);
      return EXIT.failed;
    }
    // Checks the files' copy beside the snapshot too (every attachment has its body).
    const counts = inspectDatabase(snapshot);
    const databaseBytes = statSync(snapshot).size;
    const filesBytes = info.files ? statSync(info.files.path).size : 0;
    const fds = { database: openSync(snapshot, 'r'), files: info.files ? openSync(info.files.path, 'r') : undefined };
    try {
      const common = {
        schemaVersion: info.schemaVersion, createdAt: new Date(env.now()).toISOString(), databaseBytes, filesBytes, secretBytes: secret.length,
      };
      if (options.unencrypted) {
        const header: BackupHeader = { format: PLAIN_FORMAT, ...common, sha256: contentDigest(fds, common, secret) };
        writeFileAtomically(out, 0o600, (outFd) => writeBackup(outFd, header, fds, secret));
      } else {
        const header: BackupHeader = { format: BACKUP_FORMAT, ...common, ...newEncryption() };
        const key = await deriveBackupKey(passphrase!, header.kdf);
        try {
          writeFileAtomically(out, 0o600, (outFd) => writeBackup(outFd, header, fds, secret, key));
        } finally {
          key.fill(0);
        }
      }
    } finally {
      closeSync(fds.database);
      if (fds.files !== undefined) closeSync(fds.files);
    }
    const files = info.files ? `, files ${filesBytes} bytes` : '';
    io.out(`Backup written to ${out} (${statSync(out).size} bytes: database ${databaseBytes} bytes${files}; schema version ${info.schemaVersion}, ${counts.cases} cases, ${counts.teams} teams).`);
    if (counts.integrity !== 'ok') {
      io.err(`WARNING: the snapshot fails its check (${printable(counts.integrity, 160)}): restore will refuse this backup; run health, and keep older backups`);
    }
    io.out(options.unencrypted
      ? 'It is NOT encrypted and holds the server secret in the clear: keep it as safely as the data folder.'
      : 'It is encrypted with your passphrase: keep the passphrase apart from the backups; without it nothing can be restored.');
    return EXIT.ok;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
