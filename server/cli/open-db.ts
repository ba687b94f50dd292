/**
 * Opening the data folder's database for a command, beside a possibly
 * running server: no migration (the server migrates at start), and a clear
 * refusal when the database is missing or at another schema version than
 * this build.
 */
import { existsSync } from 'node:fs';
import { createRepositories, loadMigrations, openDatabase, schemaVersion, type Db, type Repositories } from '../../db/index.ts';
import { createAuditTrail, type AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import { databasePath, UsageError } from './io.ts';

export interface OpenedDataFolder {
  db: Db;
  repos: Repositories;
  audit: AuditTrail;
  clock: Clock;
  close(): void;
}

export const latestSchema = (): number => loadMigrations().at(-1)?.version ?? 0;

/** Throws UsageError (exit 2) with what to do. */
export function openDataFolder(dataDir: string, clock: Clock): OpenedDataFolder {
  const path = databasePath(dataDir);
  if (!existsSync(path)) {
    throw new UsageError(`no Ombud database at ${path}: set OMBUD_DATA_DIR to the data folder (start the server once to create it)`);
  }
  const db = openDatabase(path, { migrate: false });
  const version = schemaVersion(db);
  const latest = latestSchema();
  if (version !== latest) {
    db.close();
    throw new UsageError(
      version < latest
        ? `the database is at schema version ${version}, this Ombud at ${latest}: run "npm run ombud -- upgrade" (or start the server) to upgrade it, then run this again`
        : `the database is at schema version ${version}, newer than this Ombud (${latest}): use the Ombud version that wrote it`,
    );
  }
  const repos = createRepositories(db);
  return { db, repos, audit: createAuditTrail(repos, clock), clock, close: () => db.close() };
}
