/**
 * The real Ombud app for the benchmark, in a child process: createApp with
 * every middleware, a file database with the production pragmas, the system
 * clock, a fresh server secret, one team with an administrator (real
 * Argon2id password, so a browser can sign in) and a channel.
 *
 *   tsx bench/ombud-server.ts --pow-difficulty 8 [--seed-cases 10000] [--password P] [--client-dir D]
 *
 * Prints one JSON line ({ url, channel, teamId, username, dataDir, dbPath,
 * grown }) when it listens. `--grow N` has bench/grow-child.ts generate a
 * deployment that grew for years first, in a process of its own.
 * `--seed-cases` inserts that many cases through the repositories in one
 * transaction, all carrying one real ciphertext encrypted to the team.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describePublicKey, encryptPayload, generateKeyPair, randomBytes, toHex, utf8 } from '../crypto/index.ts';
import { openDatabase, startCheckpointer } from '../db/index.ts';
import { createApp, type OmbudApp } from '../server/app.ts';
import { addDays, dayOf, systemClock } from '../server/clock.ts';
import { parseConfig } from '../server/config.ts';
import { teamRecipients } from '../server/recipients/recipients.ts';
import { randomId } from '../server/security/secrets.ts';
import { addTeam } from '../server/testing/organisation.ts';
import { installProbe } from './probe.ts';
import { purgeExpiredYielding } from '../server/retention/purge.ts';
import type { GrowJob, GrownInfo } from './grow-child.ts';
import { startChild } from './child.ts';

const { values: args } = parseArgs({
  options: {
    'pow-difficulty': { type: 'string', default: '16' },
    'seed-cases': { type: 'string', default: '0' },
    password: { type: 'string' },
    'client-dir': { type: 'string', default: 'dist/client' },
    // A deployment that grew for years (bench/grow.ts): cases, teams, bytes per file.
    grow: { type: 'string', default: '0' },
    'grow-teams': { type: 'string', default: '20' },
    'file-bytes': { type: 'string', default: '131072' },
    sample: { type: 'string', default: '2000' },
  },
});

async function seedCases(app: OmbudApp, teamId: string, channel: string, count: number): Promise<void> {
  const { repos } = app.ombud;
  const reporter = await generateKeyPair({ name: 'Ombud reporter', kind: 'reporter' });
  const recipients = [...teamRecipients(repos, [teamId]).map((k) => k.armored), reporter.publicKey];
  const report = await encryptPayload({ data: utf8(JSON.stringify({ v: 1, what: 'seeded report '.repeat(100) })), recipients });
  const info = await describePublicKey(reporter.publicKey);
  const today = dayOf(systemClock.now());
  repos.transaction(() => {
    for (let i = 0; i < count; i++) {
      const day = addDays(today, -(i % 365));
      repos.cases.create(
        {
          id: randomId(), channelSlug: channel, stage: 'received', receivedDay: day, acknowledgeByDay: addDays(day, 7),
          feedbackMonths: 3, acknowledgedDay: null, closedDay: null, lastActivityDay: day,
          lookupHash: toHex(randomBytes(32)), verifierHash: toHex(randomBytes(32)),
          reporterPublicKey: reporter.publicKey, reporterKeyIds: info.encryptionKeyIds,
          wrappedReporterKey: 'AAAA', report,
        },
        [teamId],
      );
    }
  });
}

/**
 * Runs the generator (bench/grow-child.ts) in a process of its own, passing its progress on, and waits
 * until it has exited: its memory is back before this process opens the database.
 */
async function growApart(job: GrowJob, jobFile: string): Promise<GrownInfo> {
  writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
  const generator = await startChild<GrownInfo>('bench/grow-child.ts', [jobFile], [], (m) => {
    if (m.type === 'grow-progress') process.send?.(m);
  });
  if (generator.process.exitCode === null) await once(generator.process, 'exit');
  return generator.info;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ombud-bench-'));
  const dbPath = join(dataDir, 'ombud.db');
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const env = {
    OMBUD_DATA_DIR: dataDir, OMBUD_CLIENT_DIR: args['client-dir'], OMBUD_PUBLIC_URL: url,
    OMBUD_POW_DIFFICULTY: args['pow-difficulty'],
  };
  const secret = randomBytes(32);
  let grown: GrownInfo | undefined;
  if (Number(args.grow) > 0) {
    // Before this process opens the database: the generator switches it out of WAL, which needs it alone.
    const info = await growApart({
      env, secretHex: Buffer.from(secret).toString('hex'), dbPath,
      cases: Number(args.grow), teams: Number(args['grow-teams']), fileBytes: Number(args['file-bytes']),
      password: args.password ?? 'bench-Correct-Horse-Battery-Staple', sample: Number(args.sample),
    }, join(dataDir, 'grow-job.json')).catch((error: unknown) => {
      // A half-grown database is tens of gigabytes in the temporary folder.
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    });
    console.error(`[grow] written back to the disk in ${info.flushSeconds.toFixed(1)} s`);
    grown = info;
  }
  const db = openDatabase(dbPath);
  // As server/main.ts runs it.
  const checkpointer = startCheckpointer(db, { onError: (error) => console.error(`checkpoint thread failed: ${error.message}`) });
  const app = createApp({ db, config: parseConfig(env), clock: systemClock, secret });
  const team = await addTeam(
    { repos: app.ombud.repos, clock: systemClock },
    { channelSlug: 'bench-factory', admin: { username: 'bench.admin', ...(args.password ? { password: args.password } : {}) } },
  );
  await seedCases(app, team.id, team.channelSlug, Number(args['seed-cases']));
  http.on('request', app);
  installProbe(http);
  // Bench-only (IPC, no route): run the purge in this process, as the daily scheduler does (server/retention/scheduler.ts).
  process.on('message', async (message: { type?: string }) => {
    if (message?.type !== 'purge') return;
    const start = performance.now();
    const report = await purgeExpiredYielding({ repos: app.ombud.repos, audit: app.ombud.audit, clock: systemClock });
    process.send!({ type: 'purged', cases: report.cases.length, ms: Math.round(performance.now() - start) });
  });
  console.log(JSON.stringify({ url, channel: team.channelSlug, teamId: team.id, username: team.admin.username, dataDir, dbPath, grown }));

  const stop = () => {
    http.closeAllConnections();
    http.close(() => {
      void checkpointer.stop().finally(() => {
        db.close();
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    });
  };
  // SIGINT too: Ctrl-C on `npm run bench` reaches the whole process group.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
