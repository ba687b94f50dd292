/**
 * `npm run ombud -- restore --from FILE [--data-dir DIR]`: brings a backup
 * back into an EMPTY data folder. Everything is checked before the first
 * byte is written (./backup-file.ts openBackup); a folder that holds
 * anything is never touched.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspectDatabase } from '../../db/backup.ts';
import { verifyAuditFile } from '../../db/audit.repo.ts';
import { openDatabase } from '../../db/index.ts';
import { SECRET_FILE } from '../server-secret.ts';
import { SERVER_SECRET_BYTES } from '../security/secrets.ts';
import { BackupFileError, extract, openBackup } from './backup-file.ts';
import { databasePath, EXIT, parseOptions, UsageError, writeFileAtomically, type CliEnv, type CliOutput } from './io.ts';
import { latestSchema } from './open-db.ts';

export const HELP = `Usage: npm run ombud -- restore --from FILE [--data-dir DIR]

Restores a backup made by \`npm run ombud -- backup\` into DIR (default:
OMBUD_DATA_DIR). DIR must be empty or not exist yet: a folder that holds
anything is refused and left untouched — stop the server and move the old
folder aside first (e.g. mv data data.old). The file is checked whole before
anything is written: a file that is not a backup, truncated, corrupted
(checksum), or made by a newer Ombud (format or schema version) is refused.
A backup from an older Ombud is upgraded on restore.

Then start the server with OMBUD_DATA_DIR=DIR: every case of the backup is
there, and reporters find theirs with their token.

Exit status: 0 restored; 1 refused (the file or the folder; nothing was
written); 2 wrong usage.
`;

function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

export function runRestore(args: readonly string[], env: CliEnv, io: CliOutput): number {
  const options = parseOptions(args, { from: { type: 'string', short: 'f' }, 'data-dir': { type: 'string' } });
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

  let backup;
  try {
    backup = openBackup(from, latestSchema());
    if (backup.header.secretBytes !== SERVER_SECRET_BYTES) {
      backup.close();
      throw new BackupFileError(`${from} is corrupted (its server secret is not ${SERVER_SECRET_BYTES} bytes); use another copy of the backup`);
    }
  } catch (error) {
    if (!(error instanceof BackupFileError)) throw error;
    io.err(`refused: ${error.message}`);
    return EXIT.failed;
  }

  const created = !existsSync(target);
  const dbPath = databasePath(target);
  try {
    mkdirSync(target, { recursive: true, mode: 0o700 });
    const { header } = backup;
    writeFileAtomically(join(target, SECRET_FILE), 0o600, (fd) => extract(backup, header.databaseBytes, header.secretBytes, fd));
    writeFileAtomically(dbPath, 0o600, (fd) => extract(backup, 0, header.databaseBytes, fd));
    openDatabase(dbPath).close(); // WAL mode again, and an older schema migrated up
    const check = inspectDatabase(dbPath);
    if (check.integrity !== 'ok') throw new Error(`the restored database fails its integrity check (${check.integrity})`);
    const chain = verifyAuditFile(dbPath);
    io.out(`Restored ${check.cases} cases of ${check.teams} teams (backup of ${header.createdAt}) into ${target}.`);
    io.out(chain.ok ? `The audit chain of ${chain.count} events is whole.` : `WARNING: the audit chain is broken at event #${chain.brokenAt}.`);
    io.out(`Start the server on it: OMBUD_DATA_DIR=${target} npm start`);
    return EXIT.ok;
  } catch (error) {
    // Leave the folder as it was found: empty (or absent).
    for (const name of existsSync(target) ? readdirSync(target) : []) rmSync(join(target, name), { recursive: true, force: true });
    if (created) rmSync(target, { recursive: true, force: true });
    io.err(`the restore failed and was undone: ${(error as Error).message}`);
    return EXIT.failed;
  } finally {
    backup.close();
  }
}
