/**
 * `npm run audit:verify [-- --help]`: recomputes the hash chain of the audit
 * trail in the data folder's database (OMBUD_DATA_DIR, see server/config.ts),
 * opened read-only, so it can run beside a live server or on a backup copy.
 * Prints `OK: N events` and exits 0, or names the first row that does not
 * fit and exits 1; exits 2 when the database cannot be read.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifyAuditFile } from '../../db/audit.repo.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { databasePath } from './io.ts';


export const HELP = `Usage: npm run audit:verify
       npm run ombud -- audit-verify

Checks that the audit trail of the Ombud database in OMBUD_DATA_DIR (default
./data) is unchanged: every event is chained to the one before by a SHA-256
hash, so altering, removing or reordering a past event breaks the chain from
that row on. Cutting off the newest events does not: compare the count with
one you noted earlier. The database is opened read-only.

Exit status: 0 the chain is whole; 1 it is broken (the first broken row is
printed); 2 the database could not be read.
`;

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export function runAuditVerify(args: readonly string[], dataDir: string, io: CliOutput): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  if (args.length > 0) {
    io.err(`unknown argument: ${args[0]} (try --help)`);
    return 2;
  }
  const path = databasePath(dataDir);
  if (!existsSync(path)) {
    io.err(`no database at ${path} (set OMBUD_DATA_DIR)`);
    return 2;
  }
  let check;
  try {
    check = verifyAuditFile(path);
  } catch (error) {
    io.err(`cannot read the audit trail in ${path}: ${(error as Error).message}`);
    return 2;
  }
  if (check.ok) {
    io.out(`OK: the audit chain of ${check.count} events is whole (${path})`);
    return 0;
  }
  io.err(`BROKEN: audit event #${check.brokenAt} does not fit the chain; it or an earlier event was altered, removed or reordered (${path})`);
  return 1;
}

// The file-name check keeps this from running inside the bundled operator's tool (dist/server/ombud.js).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && /audit-verify\.[jt]s$/.test(process.argv[1])) {
  try {
    const config = loadConfig();
    process.exitCode = runAuditVerify(process.argv.slice(2), config.dataDir, {
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
