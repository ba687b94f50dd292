/**
 * `npm run ombud -- health [--json]`: is the data folder sound? Numbers only
 * — versions, counts, sizes — never a name, a case id or anything a report
 * said, so the output can go to a monitoring system.
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspectDatabase } from '../../db/backup.ts';
import { verifyAuditFile } from '../../db/audit.repo.ts';
import { FILES_BESIDE_MIGRATION, filesPathFor } from '../../db/database.ts';
import { SECRET_FILE } from '../server-secret.ts';
import { SERVER_SECRET_BYTES } from '../security/secrets.ts';
import { databasePath, EXIT, parseOptions, UsageError, type CliEnv, type CliOutput } from './io.ts';
import { latestSchema } from './open-db.ts';

const DEFAULT_MIN_FREE_MB = 500;

export const HELP = `Usage: npm run ombud -- health [--json] [--min-free-mb N]

Checks the Ombud in OMBUD_DATA_DIR (the server may be running) and prints:
the schema version (and this build's), PRAGMA integrity_check, the audit
chain, the sizes of the database and of its files' file (ombud-files.db, the
encrypted attachments) and of their write-ahead logs, the free disk space of
the data folder, and counts of cases, closed cases, legal holds, teams,
investigators and audit events. Numbers only: nothing that names a person or
a case.

It is unhealthy when the integrity check or the audit chain fails, the
files' file is missing, damaged or lacks the body of an attachment (schema
26 and later), the schema is not this build's, the server secret is
missing, or less than --min-free-mb megabytes (default ${DEFAULT_MIN_FREE_MB})
are free.

  --json          one JSON object instead of lines (with npm, add -s so that
                  npm prints no banner: npm run -s ombud -- health --json)
  --min-free-mb   the free-space threshold, in megabytes

Exit status: 0 healthy; 1 unhealthy (the problems are listed); 2 wrong usage
or no readable database.
`;

/**
 * What inspectDatabase's integrity says, as problems that name no path and no data: the database's own check,
 * the files' file's (missing, its own integrity_check, attachments without their body — counts only).
 */
function integrityProblems(integrity: string, filesMissing: boolean): string[] {
  if (integrity === 'ok') return [];
  const problems = new Set<string>();
  for (const part of integrity.split('; ')) {
    const noBody = /^(\d+) (attachments|staged uploads) have no body in the files' file$/.exec(part);
    if (filesMissing && part.startsWith('the files\' file ') && part.endsWith(' is missing')) {
      problems.add('the files\' file (ombud-files.db, the encrypted attachments) is missing: restore the latest backup');
    } else if (noBody) {
      problems.add(`${noBody[1]} ${noBody[2]} have no body in the files' file (ombud-files.db): restore the latest backup`);
    } else if (part.startsWith('files: ')) {
      problems.add('the files\' file (ombud-files.db) fails PRAGMA integrity_check: restore the latest backup');
    } else {
      problems.add('the database fails PRAGMA integrity_check: restore the latest backup');
    }
  }
  return [...problems];
}

export function runHealth(args: readonly string[], env: CliEnv, io: CliOutput): number {
  const options = parseOptions(args, { json: { type: 'boolean' }, 'min-free-mb': { type: 'string' } });
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const minFreeMb = Number(options['min-free-mb'] ?? DEFAULT_MIN_FREE_MB);
  if (!Number.isInteger(minFreeMb) || minFreeMb < 0) throw new UsageError('--min-free-mb takes a whole number of megabytes (try --help)');
  const path = databasePath(env.dataDir);
  if (!existsSync(path)) throw new UsageError(`no Ombud database at ${path}: set OMBUD_DATA_DIR to the data folder`);
  let inspection;
  let chain;
  try {
    inspection = inspectDatabase(path);
    chain = verifyAuditFile(path);
  } catch (error) {
    throw new UsageError(`cannot read the database at ${path}: ${(error as Error).message}`);
  }
  const fs = statfsSync(env.dataDir);
  const diskFreeBytes = fs.bavail * fs.bsize;
  const secretPath = join(env.dataDir, SECRET_FILE);
  const secretOk = existsSync(secretPath) && statSync(secretPath).size === SERVER_SECRET_BYTES;
  const latest = latestSchema();

  const filesMissing = inspection.schemaVersion >= FILES_BESIDE_MIGRATION && !existsSync(filesPathFor(path));
  const problems: string[] = integrityProblems(inspection.integrity, filesMissing);
  if (!chain.ok) problems.push(`the audit chain is broken at event #${chain.brokenAt}`);
  if (inspection.schemaVersion < latest) problems.push(`schema version ${inspection.schemaVersion} is older than this build's ${latest}: restart the server to upgrade`);
  if (inspection.schemaVersion > latest) problems.push(`schema version ${inspection.schemaVersion} is newer than this build's ${latest}: use the newer Ombud`);
  if (!secretOk) problems.push(`the server secret (${SECRET_FILE}) is missing or damaged: restore it from a backup`);
  if (diskFreeBytes < minFreeMb * 1024 * 1024) problems.push(`less than ${minFreeMb} MB free in the data folder's file system`);

  const result = {
    healthy: problems.length === 0,
    problems,
    schemaVersion: inspection.schemaVersion,
    latestSchemaVersion: latest,
    integrity: inspection.integrity === 'ok' ? 'ok' : 'failed',
    auditChain: chain.ok ? { ok: true, events: chain.count } : { ok: false, brokenAt: chain.brokenAt },
    databaseBytes: inspection.databaseBytes,
    walBytes: inspection.walBytes,
    filesBytes: inspection.filesBytes,
    filesWalBytes: inspection.filesWalBytes,
    diskFreeBytes,
    cases: inspection.cases,
    closedCases: inspection.closedCases,
    legalHolds: inspection.legalHolds,
    teams: inspection.teams,
    investigators: inspection.investigators,
  };
  if (options.json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    io.out(`${result.healthy ? 'HEALTHY' : 'UNHEALTHY'}`);
    io.out(`schema version      ${result.schemaVersion} (this build: ${latest})`);
    io.out(`integrity check     ${result.integrity}`);
    io.out(`audit chain         ${chain.ok ? `whole, ${chain.count} events` : `broken at event #${chain.brokenAt}`}`);
    io.out(`database            ${result.databaseBytes} bytes, write-ahead log ${result.walBytes} bytes`);
    io.out(`files' file         ${inspection.schemaVersion < FILES_BESIDE_MIGRATION ? 'none (the files are in the database before schema version 26)'
      : filesMissing ? 'MISSING' : `${result.filesBytes} bytes, write-ahead log ${result.filesWalBytes} bytes`}`);
    io.out(`disk free           ${Math.floor(diskFreeBytes / 1024 / 1024)} MB`);
    io.out(`cases               ${result.cases} (${result.closedCases} closed, ${result.legalHolds} on legal hold)`);
    io.out(`teams               ${result.teams}, investigators ${result.investigators}`);
    problems.forEach((p) => io.err(`problem: ${p}`));
  }
  return result.healthy ? EXIT.ok : EXIT.failed;
}
