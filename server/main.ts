/**
 * Starts Ombud: reads the configuration, opens and migrates the database,
 * loads the server secret, and listens. On a first start (no administrator
 * yet) it prints a single-use setup link.
 *
 * It prints where it listens and nothing about requests, ever.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { backupBeforeUpgrade, MigrationError, openDatabase, startCheckpointer, upgradeBackupName } from '../db/index.ts';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { checkClientRelease, ClientReleaseError } from './release/startup-check.ts';
import { loadOrCreateServerSecret } from './server-secret.ts';
import { issueSetupToken, setupLink } from './setup/setup-token.ts';
import { startNotifyScheduler } from './notify/scheduler.ts';
import { startPurgeScheduler } from './retention/scheduler.ts';
import { VERSION } from './version.ts';

export const DATABASE_FILE = 'ombud.db';

async function main(): Promise<void> {
  const config = loadConfig();
  // The client folder must be what its (signed) manifest says before anything is served.
  const client = await checkClientRelease(config);
  if (!client.built) console.log(`No client in ${config.clientDir}: pages answer 503 until it is built (npm run build)`);
  else if (client.signedBy) console.log(`Client ${client.manifest!.version} (${client.manifest!.commit}), manifest signed by release key ${client.signedBy}`);
  else console.log(`Client ${client.manifest!.version} (${client.manifest!.commit}), manifest NOT signed (no OMBUD_RELEASE_KEY_FILE)`);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const dbPath = join(config.dataDir, DATABASE_FILE);
  // Owner-only from the start; SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(dbPath, 'a', 0o600));
  chmodSync(dbPath, 0o600);
  console.log(`Ombud ${VERSION} on Node ${process.versions.node}; data folder ${config.dataDir}`);
  const db = openDatabase(dbPath, {
    // Before migrating a database that has a schema: a plain copy beside it (see db/backup.ts backupBeforeUpgrade).
    beforeUpgrade: (open, from, to) => {
      const backup = join(config.dataDir, upgradeBackupName(DATABASE_FILE, from, to, systemClock.now()));
      backupBeforeUpgrade(open, backup);
      console.log(`Upgrading the database from schema ${from} to ${to}; backup first: ${backup}`);
      return backup;
    },
  });
  // The log is copied back into the database on a thread of its own, never by a request's commit (db/checkpointer.ts).
  const checkpointer = startCheckpointer(db, {
    onError: (error) => console.error(`The log's copy-back thread failed; commits copy it back from now on, as before: ${error.message}`),
  });
  const secret = loadOrCreateServerSecret(config.dataDir);
  const app = createApp({ db, config, clock: systemClock, secret });
  // Before any request, when no upload can be between its body's commit and its row's: bodies a crash left
  // unnamed, and bodies of rows deleted before a crash or during a backup (db/uploads.repo.ts).
  const swept = app.ombud.repos.uploads.sweepUnnamed();
  const drained = app.ombud.repos.uploads.drainDeletions(systemClock.now());
  if (swept + drained.deleted > 0) console.log(`Files: ${swept} left by an interrupted upload and ${drained.deleted} of deleted cases removed`);

  if (!app.ombud.repos.investigators.adminExists()) {
    const { token } = issueSetupToken(app.ombud);
    console.log(
      [
        '',
        'Ombud has no administrator yet. To set it up, open this link in a browser',
        '(within 24 hours; it works once, and only for whoever opens it first):',
        '',
        `    ${setupLink(config.publicUrl, token)}`,
        '',
        'There you name the first team, create its offline recovery key (print it and',
        'keep it safe), create your administrator account and the first intake channel.',
        'If the link expires, restart the server or run `npm run ombud -- setup-link` for a new one.',
        '',
      ].join('\n'),
    );
  }

  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    console.log(`Ombud listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`);
    console.log(`Public address: ${config.publicUrl}`);
  });
  server.on('error', (error) => {
    console.error(`cannot listen on ${config.host}:${config.port}: ${error.message}`);
    process.exit(1);
  });

  // E-mail notices and the daily deadline digest (only when OMBUD_SMTP_URL is set).
  const notices = config.mail ? startNotifyScheduler(app.ombud.notify) : undefined;

  // Retention: once a day, closed cases past their teams' retention and not on legal hold are deleted.
  // Only counts are printed (case ids stay in the audit trail).
  const purges = startPurgeScheduler(app.ombud, {
    onPurged: (report) => {
      if (report.cases.length > 0) console.log(`Retention: ${report.cases.length} closed case(s) deleted`);
    },
    onError: (error) => console.error(`Retention purge failed, will retry within the hour: ${(error as Error).message}`),
  });

  const stop = () => {
    purges.stop();
    server.close(() => {
      // Pending notices go out before the database closes (a failing mail server is given up on within a minute).
      void (notices?.stop() ?? Promise.resolve()).finally(() => checkpointer.stop()).finally(() => {
        db.close();
        process.exit(0);
      });
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

try {
  await main();
} catch (error) {
  // A configuration mistake is explained in one line; anything else keeps its stack (no request data exists yet).
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  if (error instanceof ClientReleaseError) {
    console.error(`Ombud did not start: ${error.message}`);
    console.error('Rebuild the client (npm run build) or restore the release as it was built and signed.');
    process.exit(1);
  }
  if (error instanceof MigrationError) {
    console.error(`Ombud did not start: the database upgrade failed and was undone. ${error.message}.`);
    if (error.backup) console.error(`The backup made just before is ${error.backup} (the database itself was not changed).`);
    console.error('Keep both; report the message above, or run the previous version of Ombud.');
    process.exit(1);
  }
  throw error;
}
