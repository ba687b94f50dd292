/**
 * The operator's tool: `npm run ombud -- <command> [options]`.
 *
 * Every command reads the configuration like the server (server/config.ts
 * loadConfig: OMBUD_DATA_DIR, OMBUD_PUBLIC_URL, …) and works on the data
 * folder's database directly; the server may be running meanwhile (WAL mode,
 * busy timeout). `runOmbud` takes the arguments, the configuration and where
 * to print, so tests call it without a process.
 */
import { fileURLToPath } from 'node:url';
import { systemClock } from '../clock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { HELP as AUDIT_HELP, runAuditVerify } from './audit-verify.ts';
import { HELP as BACKUP_HELP, runBackup } from './backup.ts';
import { HELP as CATALOG_HELP, runCatalog } from './catalog.ts';
import { HELP as HEALTH_HELP, runHealth } from './health.ts';
import { EXIT, UsageError, type CliEnv, type CliOutput } from './io.ts';
import { HELP as PURGE_HELP, runPurge } from './purge.ts';
import { HELP as RESTORE_HELP, runRestore } from './restore.ts';
import { HELP as SETUP_HELP, runSetupLink } from './setup-link.ts';
import { HELP as SIGN_HELP, runSignManifest } from './sign-manifest.ts';
import { HELP as VERIFY_HELP, runVerifyDeployment } from './verify-deployment.ts';
import { HELP as UPGRADE_HELP, runUpgrade } from './upgrade.ts';

type Command = (args: readonly string[], env: CliEnv, io: CliOutput) => number | Promise<number>;

export const COMMANDS: Record<string, { summary: string; help: string; run: Command; noConfig?: true }> = {
  'setup-link': { summary: 'print a new one-time setup link, while no administrator exists', help: SETUP_HELP, run: runSetupLink },
  backup: { summary: 'backup --out FILE: a consistent snapshot while the server runs', help: BACKUP_HELP, run: runBackup },
  restore: { summary: 'restore --from FILE [--data-dir DIR]: into an empty data folder', help: RESTORE_HELP, run: runRestore },
  purge: { summary: 'purge [--dry-run]: delete closed cases past retention (not on hold)', help: PURGE_HELP, run: runPurge },
  'audit-verify': { summary: 'check the hash chain of the audit trail', help: AUDIT_HELP, run: (args, env, io) => runAuditVerify(args, env.dataDir, io) },
  upgrade: { summary: 'upgrade [--dry-run]: migrate the database to this build, backup first', help: UPGRADE_HELP, run: runUpgrade },
  health: { summary: 'health [--json]: schema, integrity, audit chain, sizes, counts', help: HEALTH_HELP, run: runHealth },
  'sign-manifest': { summary: 'sign-manifest --key FILE: sign the client manifest with the release key', help: SIGN_HELP, run: (args, _env, io) => runSignManifest(args, io) },
  'verify-deployment': { summary: 'verify-deployment URL: compare a running deployment with its signed manifest', help: VERIFY_HELP, run: (args, _env, io) => runVerifyDeployment(args, io) },
  // Works on the source tree's catalogs, not on a deployment: needs no configuration.
  catalog: { summary: 'catalog export|import: worker texts to and from gettext PO', help: CATALOG_HELP, run: (args, _env, io) => runCatalog(args, io), noConfig: true },
};

export const HELP = `Usage: npm run ombud -- <command> [options]
       npm run ombud -- <command> --help

The operator's tool for the Ombud in OMBUD_DATA_DIR (default ./data). It
reads the same environment variables as the server (see README,
"Configuration"); the server may be running while it works.

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(19)}${c.summary}`).join('\n')}

Exit status (every command): 0 done / healthy; 1 refused, or a problem was
found (the message says what to do); 2 wrong usage, bad configuration, or a
database that cannot be read.
`;

export async function runOmbud(argv: readonly string[], env: (() => CliEnv) | CliEnv, io: CliOutput): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command: ${name} (try --help; commands: ${Object.keys(COMMANDS).join(', ')})`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
    const config = command.noConfig ? ({} as CliEnv) : typeof env === 'function' ? env() : env;
    return await command.run(args, config, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.err(error.message);
      return EXIT.usage;
    }
    io.err(`${name} failed: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = (): CliEnv => {
    const config = loadConfig();
    return { dataDir: config.dataDir, publicUrl: config.publicUrl, now: systemClock.now, backupPassphrase: config.backupPassphrase };
  };
  const io: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };
  void runOmbud(process.argv.slice(2), env, io).then((code) => {
    process.exitCode = code;
  });
}
