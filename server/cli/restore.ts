/**
 * `npm run ombud -- restore --from FILE [--data-dir DIR] [--passphrase-file PFILE]`:
 * brings a backup back into an EMPTY data folder.
 *
 * Nothing reaches DIR until everything is checked: the file (./backup-file.ts
 * openBackup: header, length, checksum or — encrypted — the GCM tag under the
 * passphrase), then the database itself, in a staging folder beside DIR:
 * its schema must equal what this build's migrations make at its version
 * (db/schema-check.ts: no extra trigger, view, index or column, no missing
 * table), it is migrated up, checked again, and its integrity, foreign keys
 * and audit chain are checked. Only then are the two files moved into DIR.
 * On any refusal the staging folder is deleted and DIR is as it was.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, fsyncSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { inspectDatabase } from '../../db/backup.ts';
import { verifyAuditFile } from '../../db/audit.repo.ts';
import { loadMigrations, openDatabase } from '../../db/index.ts';
import { compareSchemaWithMigrations, foreignKeyProblems } from '../../db/schema-check.ts';
import { SECRET_FILE } from '../server-secret.ts';
import { SERVER_SECRET_BYTES } from '../security/secrets.ts';
import { BackupFileError, deriveBackupKey, extractContent, openBackup, PLAIN_FORMAT, type OpenedBackup } from './backup-file.ts';
import { databasePath, DATABASE_FILE, EXIT, fsyncPath, parseOptions, printable, readPassphrase, UsageError, writeFileAtomically, type CliEnv, type CliOutput } from './io.ts';
import { latestSchema } from './open-db.ts';

export const HELP = `Usage: npm run ombud -- restore --from FILE [--data-dir DIR] [--passphrase-file PFILE]

Restores a backup made by \`npm run ombud -- backup\` into DIR (default:
OMBUD_DATA_DIR). DIR must be empty or not exist yet: a folder that holds
anything is refused and left untouched — stop the server and move the old
folder aside first (e.g. mv data data.old).

An encrypted backup needs its passphrase: the first line of PFILE, or
OMBUD_BACKUP_PASSPHRASE. A wrong passphrase and an altered file are told
apart from nothing else: both are refused. An unencrypted backup (format 1)
is checked against its SHA-256 only, which is no protection against a file
someone changed on purpose.

Before anything reaches DIR the database is checked in a staging folder
beside it: its schema must be exactly the one this Ombud makes at its
version (no extra trigger, view, index or column; no missing table), then it
is upgraded (a backup from an older Ombud), checked again, and its
integrity, references and audit chain are checked. A file that is not a
backup, truncated, corrupted, made by a newer Ombud, or whose schema differs
is refused.

Then start the server with OMBUD_DATA_DIR=DIR: every case of the backup is
there, and reporters find theirs with their token.

Exit status: 0 restored; 1 refused (the file, the passphrase, the schema or
the folder; nothing was written to DIR); 2 wrong usage (no passphrase for an
encrypted backup).
`;

function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** Decrypts (or copies) the backup into `staging` and checks the database there. Throws BackupFileError to refuse. */
async function stageAndCheck(backup: OpenedBackup, from: string, staging: string, passphrase: string | undefined) {
  const { header } = backup;
  const key = header.format === PLAIN_FORMAT ? undefined : await deriveBackupKey(passphrase!, header.kdf);
  const dbPath = join(staging, DATABASE_FILE);
  let secret: Buffer;
  try {
    const fd = openSync(dbPath, 'wx', 0o600);
    try {
      secret = extractContent(backup, fd, key);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
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
  const refuseSchema = (when: string, differences: string[]) => new BackupFileError(
    `${from} holds a database whose schema is not Ombud's ${when}: ${differences.slice(0, 5).map((d) => printable(d, 80)).join('; ')}`
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
  openDatabase(dbPath).close(); // WAL mode again, and an older schema migrated up
  const after = compareSchemaWithMigrations(dbPath, migrations);
  if (!after.ok) throw refuseSchema('after the upgrade', after.differences);
  const check = inspectDatabase(dbPath);
  if (check.integrity !== 'ok') throw new BackupFileError(`the database in ${from} fails its integrity check (${printable(check.integrity, 120)}); use another copy of the backup`);
  const orphans = foreignKeyProblems(dbPath);
  if (orphans.length > 0) {
    throw new BackupFileError(`the database in ${from} has rows that point at missing rows (in ${orphans.map((t) => printable(t, 40)).join(', ')}); use another copy of the backup`);
  }
  return { check, chain: verifyAuditFile(dbPath) };
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
    if (backup.header.format !== PLAIN_FORMAT && passphrase === undefined) {
      throw new UsageError(`${from} is encrypted: give its passphrase with --passphrase-file FILE or OMBUD_BACKUP_PASSPHRASE (try --help)`);
    }
    mkdirSync(dirname(target), { recursive: true });
    const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.restore-`));
    let result;
    try {
      result = await stageAndCheck(backup, from, staging, passphrase);
      // Everything checked: the two files move into DIR (a rename each, on the same file system).
      if (existsSync(target)) {
        for (const name of [SECRET_FILE, DATABASE_FILE]) renameSync(join(staging, name), join(target, name));
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
    io.out(`Restored ${check.cases} cases of ${check.teams} teams (backup of ${printable(header.createdAt, 40)}) into ${target}.`);
    if (header.format === PLAIN_FORMAT) io.out('That backup was not encrypted (format 1): new backups are; see backup --help.');
    io.out(chain.ok ? `The audit chain of ${chain.count} events is whole.` : `WARNING: the audit chain is broken at event #${chain.brokenAt}.`);
    io.out(`Start the server on it: OMBUD_DATA_DIR=${target} npm start`);
    return EXIT.ok;
  } finally {
    backup.close();
  }
}
