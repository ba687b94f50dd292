/**
 * `npm run ombud -- upgrade [--dry-run]`: brings the data folder's database
 * to this build's schema, as the server does at start, with the same
 * automatic backup first (db/backup.ts backupBeforeUpgrade). For an operator
 * who wants to upgrade (and see it succeed) before starting the new version.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backupBeforeUpgrade, loadMigrations, MigrationError, openDatabase, pendingMigrations, schemaVersion, upgradeBackupName } from '../../db/index.ts';
import { DATABASE_FILE, databasePath, EXIT, parseOptions, UsageError, type CliEnv, type CliOutput } from './io.ts';

export const HELP = `Usage: npm run ombud -- upgrade [--dry-run]

Stop the server first. Applies this build's pending database migrations to
the database in OMBUD_DATA_DIR, after making a backup beside it:
  ${DATABASE_FILE}.pre-upgrade-v<from>-to-v<to>-<UTC time>
(a plain SQLite copy, mode 0600, as sensitive as the database itself; delete
it once the new version runs well, or keep it with your other backups).
All pending migrations are one transaction: if one fails, the database is
left exactly as it was, and the message names the backup.
The server does the same at start; this command lets you do it beforehand.

  --dry-run   only say which migrations are pending

Exit status: 0 upgraded or already current; 1 the upgrade failed (nothing
changed); 2 wrong usage or no database.
`;

export function runUpgrade(args: readonly string[], env: CliEnv, io: CliOutput): number {
  const options = parseOptions(args, { 'dry-run': { type: 'boolean' } });
  const path = databasePath(env.dataDir);
  if (!existsSync(path)) throw new UsageError(`no Ombud database at ${path}: set OMBUD_DATA_DIR to the data folder`);
  const migrations = loadMigrations();
  const probe = openDatabase(path, { migrate: false });
  let pending;
  let from;
  try {
    from = schemaVersion(probe);
    pending = pendingMigrations(probe, migrations);
  } catch (error) {
    throw new UsageError((error as Error).message);
  } finally {
    probe.close();
  }
  if (pending.length === 0) {
    io.out(`The database is at schema ${from}, this build's: nothing to do.`);
    return EXIT.ok;
  }
  const to = pending.at(-1)!.version;
  io.out(`Pending: ${pending.map((m) => m.name).join(', ')} (schema ${from} → ${to})`);
  if (options['dry-run']) return EXIT.ok;
  let backup: string | undefined;
  try {
    const db = openDatabase(path, {
      migrations,
      beforeUpgrade: (open, f, t) => {
        backup = join(env.dataDir, upgradeBackupName(DATABASE_FILE, f, t, env.now()));
        backupBeforeUpgrade(open, backup);
        io.out(`Backup: ${backup}`);
        return backup;
      },
    });
    db.close();
  } catch (error) {
    if (error instanceof MigrationError) {
      io.err(`The upgrade failed and was undone: ${error.message}.`);
      if (error.backup) io.err(`The backup made just before is ${error.backup}; the database itself was not changed.`);
      return EXIT.failed;
    }
    throw error;
  }
  io.out(`Upgraded the database to schema ${to}.`);
  return EXIT.ok;
}
