/** `npm run ombud -- purge [--dry-run]`: the retention purge the server runs daily (server/retention/purge.ts), now. */
import { RETENTION_DAYS } from '../../common/limits.ts';
import { purgeExpired } from '../retention/purge.ts';
import { EXIT, parseOptions, type CliEnv, type CliOutput } from './io.ts';
import { openDataFolder } from './open-db.ts';

export const HELP = `Usage: npm run ombud -- purge [--dry-run]

Deletes, now, every closed case whose retention has passed and that is not
on legal hold — the same purge the server runs once a day. Each team keeps
its closed cases for a number of days after closing that its administrators
set in the workspace (default ${RETENTION_DAYS.default}, ${RETENTION_DAYS.min}–${RETENTION_DAYS.max}); a case sent to
several teams is kept until the longest of their retentions has passed. A
case is deleted with everything of it (report, files, messages, notes,
history), the deletion is recorded in the audit trail (\`case.purged\`, with
the case id), and the database's write-ahead log is emptied so no old page
of it lingers there. The server may be running.

  --dry-run   list what would be deleted (case ids and closing days), delete nothing

Exit status: 0 done; 1 the purge failed (nothing of a half-deleted case
remains: each case goes in one transaction); 2 wrong usage or no readable
database.
`;

export function runPurge(args: readonly string[], env: CliEnv, io: CliOutput): number {
  const options = parseOptions(args, { 'dry-run': { type: 'boolean' } });
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const folder = openDataFolder(env.dataDir, { now: env.now });
  try {
    const dryRun = options['dry-run'] === true;
    const report = purgeExpired(folder, { dryRun });
    const list = report.cases.map((c) => `  ${c.caseId}  closed ${c.closedDay}, kept ${c.keepDays} days`);
    if (dryRun) {
      io.out(`Dry run on ${report.day}: ${report.cases.length} closed case(s) past retention would be deleted; ${report.held} case(s) on legal hold are kept.`);
    } else {
      io.out(`${report.day}: deleted ${report.cases.length} closed case(s) past retention; ${report.held} case(s) on legal hold kept; ${report.staleTickets} stale upload(s) removed.`);
    }
    list.forEach((line) => io.out(line));
    if (report.checkpoint && !report.checkpoint.complete) {
      io.err('note: the server was reading the database, so the write-ahead log could not be emptied yet; it is at the next checkpoint, or run purge again.');
    }
    return EXIT.ok;
  } finally {
    folder.close();
  }
}
