/**
 * `npm run ombud -- restore --from FILE [--data-dir DIR] [--passphrase-file PFILE]`:
 * brings a backup back into an EMPTY data folder.
 *
 * Nothing reaches DIR until everything is checked: the file (./backup-file.ts
 * openBackup: header, length, checksum or — encrypted — the GCM tag under the
 * passphrase), then the database itself, in a staging folder beside DIR:
 * its schema must equal what this build's migrations make at its version
 * (db/schema-check.ts: no extra trigger, view, index or column, no missing
 * table), the files' file's must be exactly its one table of bodies, the
 * database is migrated up (a backup of a schema before 26 has its bodies
 * inside; the migration moves them into a new files' file), checked again,
 * and its integrity, foreign keys and audit chain are checked, and that the
 * files' file holds the body of every attachment and staged upload
 * (db/backup.ts inspectDatabase). Only then are the database, its files'
 * file and the server secret moved into DIR. On any refusal the staging
 * folder is deleted and DIR is as it was.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, fsyncSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { inspectDatabase } from '../../db/backup.ts';
import { verifyAuditFile } from '../../db/audit.repo.ts';
import { FILES_BESIDE_MIGRATION, filesPathFor } from '../../db/database.ts';
import { loadMigrations, openDatabase } from '../../db/index.ts';
import { closeLastConnection, compareFilesSchema, compareSchemaWithMigrations, foreignKeyProblems } from '../../db/schema-check.ts';
import { SECRET_FILE } from '../server-secret.ts';
import { SERVER_SECRET_BYTES } from '../security/secrets.ts';
import { BackupFileError, deriveBackupKey, extractContent, filesBytesOf, isPlain, openBackup, type OpenedBackup } from './backup-file.ts';
import { databasePath, DATABASE_FILE, EXIT, fsyncPath, parseOptions, printable, readPassphrase, UsageError, writeFileAtomically, type CliEnv, type CliOutput } from './io.ts';
import { latestSchema } from './open-db.ts';

export const HELP = `Usage: npm run ombud -- restore --from FILE [--data-dir DIR] [--passphrase-file PFILE]

Restores a backup made by \`npm run ombud -- backup\` into DIR (default:
OMBUD_DATA_DIR). DIR must be empty or not exist yet: a folder that holds
anything is refused and left untouched — stop the server and move the old
folder aside first (e.g. mv data data.old).

An encrypted backup needs its passphrase: the first line of PFILE, or
OMBUD_BACKUP_PASSPHRASE. A wrong passphrase and an altered file are told
apart from nothing else: both are refused. An unencrypted backup (format 4,
or 1 from before the files' file) is checked against its SHA-256 only,
which is no protection against a file someone changed on purpose.

Before anything reaches DIR the database and its files' file (ombud-files.db,
the encrypted attachments) are checked in a staging folder beside it: the
database's schema must be exactly the one this Ombud makes at its version
(no extra trigger, view, index or column; no missing table), the files'
file's its one table of bodies; then the database is upgraded (a backup from
an older Ombud: attachments kept inside the database move to the files'
file), checked again, and its integrity, references, audit chain and that
every attachment has its body in the files' file are checked. A file that is
not a backup, truncated, corrupted, made by a newer Ombud, or whose schema
differs is refused. Both files and the server secret are written owner-only
(0600).

Then start the server with OMBUD_DATA_DIR=DIR: every case of the backup is
there, and reporters find theirs with their token.

Exit status: 0 restored; 1 refused (the file, the passphrase, the schema or
the folder; nothing was written to DIR); 2 wrong usage (no passphrase for an
encrypted backup).
`;

function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** Creates `path` owner-only (0600) for writing; it must not exist. */
const createOwnerOnly = (path: string) => openSync(path, 'wx', 0o600);

/** Decrypts (or copies) the backup into `staging` and checks the database there. Throws BackupFileError to refuse. */
async function stageAndCheck(backup: OpenedBackup, from: string, staging: string, passphrase: string | undefined) {
  const { header } = backup;
  const key = isPlain(header) ? undefined : await deriveBackupKey(passphrase!, header.kdf);
  const dbPath = join(staging, DATABASE_FILE);
  const filesPath = filesPathFor(dbPath);
  const withFiles = filesBytesOf(header) > 0;
  let secret: Buffer;
  try {
    const fds = { database: createOwnerOnly(dbPath), files: withFiles ? createOwnerOnly(filesPath) : undefined };
    try {
      secret = extractContent(backup, fds, key);
      fsyncSync(fds.database);
      if (fds.files !== undefined) fsyncSync(fds.files);
    } finally {
      closeSync(fds.database);
      if (fds.files !== undefined) closeSync(fds.files);
    }
  } finally {
    key?.fill(0);
  }
  if (secret.length !== SERVER_SECRET_BYTES) {
    throw new BackupFileError(`${from} is corrupted (its server secret is not ${SERVER_SECRET_BYTES} bytes); use another copy of the backup`);
  }
  writeFileAtomically(join(staging, SECRET_FILE), 0o600, (fd) => {
    if (writeSync(fd, secret) !== secret.length) throw new Error('short write of the server secret');
  });

  const migrations = loadMigrations();
  const refuseSchema = (when: string, differences: string[], of = 'a database') => new BackupFileError(
    `${from} holds ${of} whose schema is not Ombud's ${when}: ${differences.slice(0, 5).map((d) => printable(d, 80)).join('; ')}`
    + `${differences.length > 5 ? `; and ${differences.length - 5} more` : ''} — it was altered; use another copy of the backup`,
  );
  let before;
  try {
    before = compareSchemaWithMigrations(dbPath, migrations);
  } catch (error) {
    throw new BackupFileError(`${from} does not hold a readable database (${printable((error as Error).message, 120)}); use another copy of the backup`);
  }
  if (!before.ok) throw refuseSchema(`(version ${before.version})`, before.differences);
  if (before.version !== header.schemaVersion) {
    throw new BackupFileError(`${from} is corrupted (its header says schema version ${header.schemaVersion}, its database is at ${before.version}); use another copy of the backup`);
  }
  // From schema 26 on the bodies are in the files' file, before it in the database: the backup has one exactly then.
  if (before.version >= FILES_BESIDE_MIGRATION && !withFiles) {
    throw new BackupFileError(`${from} is corrupted (its database, at schema version ${before.version}, keeps its files beside it, but the backup holds no files' file); use another copy of the backup`);
  }
  if (before.version < FILES_BESIDE_MIGRATION && withFiles) {
    throw new BackupFileError(`${from} is corrupted (it holds a files' file, but its database, at schema version ${before.version}, keeps its files inside); use another copy of the backup`);
  }
  if (withFiles) {
    let differences;
    try {
      differences = compareFilesSchema(filesPath);
    } catch (error) {
      throw new BackupFileError(`${from} does not hold a readable files' file (${printable((error as Error).message, 120)}); use another copy of the backup`);
    }
    if (differences.length > 0) throw refuseSchema('', differences, 'a files\' file');
  }
  openDatabase(dbPath).close(); // WAL mode again, and an older schema migrated up (its bodies moved into a new files' file)
  const after = compareSchemaWithMigrations(dbPath, migrations);
  if (!after.ok) throw refuseSchema('after the upgrade', after.differences);
  // Also the files' file: its integrity, and a body for every attachment and staged upload.
  const check = inspectDatabase(dbPath);
  if (check.integrity !== 'ok') {
    throw new BackupFileError(`the database or its files' file in ${from} fails its integrity check (${printable(check.integrity, 160)}); use another copy of the backup`);
  }
  const orphans = foreignKeyProblems(dbPath);
  if (orphans.length > 0) {
    throw new BackupFileError(`the database in ${from} has rows that point at missing rows (in ${orphans.map((t) => printable(t, 40)).join(', ')}); use another copy of the backup`);
  }
  const chain = verifyAuditFile(dbPath);
  // The read-only checks leave an empty -wal and -shm beside the database; the last read-write connection to close
  // removes them, so DIR receives the three files only.
  closeLastConnection(dbPath);
  return { check, chain };
}

export async function runRestore(args: readonly string[], env: CliEnv, io: CliOutput): Promise<number> {
  const options = parseOptions(args, {
    from: { type: 'string', short: 'f' }, 'data-dir': { type: 'string' }, 'passphrase-file': { type: 'string' },
  });
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (!options.from) throw new UsageError('say which backup to restore: restore --from FILE (try --help)');
  const from = resolve(options.from);
  const target = resolve(options['data-dir'] ?? env.dataDir);
  if (!existsSync(from)) throw new UsageError(`${from} does not exist; check the path of the backup file`);
  if (!isEmptyOrMissing(target)) {
    io.err(`refused: ${target} is not empty (${readdirSync(target).length} entries), and a restore never overwrites a data folder.`);
    io.err('Stop the server, move that folder aside (e.g. mv data data.old), or restore into a new folder with --data-dir.');
    return EXIT.failed;
  }

  let backup: OpenedBackup;
  try {
    backup = openBackup(from, latestSchema());
  } catch (error) {
    if (!(error instanceof BackupFileError)) throw error;
    io.err(`refused: ${error.message}`);
    return EXIT.failed;
  }
  try {
    const passphrase = readPassphrase(options['passphrase-file'], env);
    if (!isPlain(backup.header) && passphrase === undefined) {
      throw new UsageError(`${from} is encrypted: give its passphrase with --passphrase-file FILE or OMBUD_BACKUP_PASSPHRASE (try --help)`);
    }
    mkdirSync(dirname(target), { recursive: true });
    const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.restore-`));
    let result;
    try {
      result = await stageAndCheck(backup, from, staging, passphrase);
      // Everything checked: the files (database, files' file, secret) move into DIR (a rename each, on the same file system).
      if (existsSync(target)) {
        for (const name of readdirSync(staging)) renameSync(join(staging, name), join(target, name));
        rmSync(staging, { recursive: true, force: true });
        fsyncPath(target);
      } else {
        renameSync(staging, target);
      }
      fsyncPath(dirname(target));
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (error instanceof BackupFileError) {
        io.err(`refused: ${error.message}`);
        io.err(`Nothing was written to ${target}.`);
        return EXIT.failed;
      }
      throw error;
    }
    const { header } = backup;
    const { check, chain } = result;
    io.out(`Restored ${check.cases} cases of ${check.teams} teams (backup of ${printable(header.createdAt, 40)}) into ${target}`
      + ` (database ${check.databaseBytes} bytes, files ${check.filesBytes} bytes).`);
    if (isPlain(header)) io.out(`That backup was not encrypted (format ${header.format}): new backups are; see backup --help.`);
    io.out(chain.ok ? `The audit chain of ${chain.count} events is whole.` : `WARNING: the audit chain is broken at event #${chain.brokenAt}.`);
    io.out(`Start the server on it: OMBUD_DATA_DIR=${target} npm start`);
    return EXIT.ok;
  } finally {
    backup.close();
  }
}
