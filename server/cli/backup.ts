/**
 * `npm run ombud -- backup --out FILE`: a consistent snapshot of the data
 * folder while the server runs (db/backup.ts), in one file (./backup-file.ts).
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { snapshotDatabase, inspectDatabase } from '../../db/backup.ts';
import { SECRET_FILE } from '../server-secret.ts';
import { SERVER_SECRET_BYTES } from '../security/secrets.ts';
import { BACKUP_FORMAT, contentDigest, writeBackup } from './backup-file.ts';
import { databasePath, EXIT, parseOptions, UsageError, writeFileAtomically, type CliEnv, type CliOutput } from './io.ts';

export const HELP = `Usage: npm run ombud -- backup --out FILE

Writes a backup of the Ombud in OMBUD_DATA_DIR to FILE, while the server
keeps running and taking reports: a consistent snapshot of the database (as
of one instant) and the server secret, in one file with a header (format and
schema version, creation time, SHA-256 of the content). FILE is written
under a temporary name, flushed to disk, then renamed, with mode 0600; an
existing FILE is never overwritten.

The database holds reports, files and messages only as ciphertext. The
server secret is needed to find cases by their token after a restore — and,
together with the database, to test guessed tokens offline: keep FILE as
safely as the data folder itself (encrypted storage, few people, offline).

Restore with: npm run ombud -- restore --from FILE --data-dir NEW_FOLDER

Exit status: 0 written; 1 the snapshot or the write failed (nothing is left
at FILE); 2 wrong usage, FILE exists, or no readable database.
`;

export async function runBackup(args: readonly string[], env: CliEnv, io: CliOutput): Promise<number> {
  const options = parseOptions(args, { out: { type: 'string', short: 'o' } });
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
    const counts = inspectDatabase(snapshot);
    const databaseBytes = statSync(snapshot).size;
    const fd = openSync(snapshot, 'r');
    try {
      const header = {
        format: BACKUP_FORMAT, schemaVersion: info.schemaVersion, createdAt: new Date(env.now()).toISOString(),
        databaseBytes, secretBytes: secret.length, sha256: contentDigest(fd, databaseBytes, secret),
      };
      writeFileAtomically(out, 0o600, (outFd) => writeBackup(outFd, header, fd, secret));
    } finally {
      closeSync(fd);
    }
    io.out(`Backup written to ${out} (${statSync(out).size} bytes, schema version ${info.schemaVersion}, ${counts.cases} cases, ${counts.teams} teams).`);
    io.out('It holds the server secret: keep it as safely as the data folder.');
    return EXIT.ok;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
