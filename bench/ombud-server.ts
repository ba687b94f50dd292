/**
 * The real Ombud app for the benchmark, in a child process: createApp with
 * every middleware, a file database with the production pragmas, the system
 * clock, a fresh server secret, one team with an administrator (real
 * Argon2id password, so a browser can sign in) and a channel.
 *
 *   tsx bench/ombud-server.ts --pow-difficulty 8 [--seed-cases 10000] [--password P] [--client-dir D]
 *
 * Prints one JSON line ({ url, channel, teamId, username, dataDir }) when it
 * listens. `--seed-cases` inserts that many cases through the repositories
 * in one transaction, all carrying one real ciphertext encrypted to the team.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describePublicKey, encryptPayload, generateKeyPair, randomBytes, toHex, utf8 } from '../crypto/index.ts';
import { openDatabase } from '../db/index.ts';
import { createApp, type OmbudApp } from '../server/app.ts';
import { addDays, dayOf, systemClock } from '../server/clock.ts';
import { parseConfig } from '../server/config.ts';
import { teamRecipients } from '../server/recipients/recipients.ts';
import { randomId } from '../server/security/secrets.ts';
import { addTeam } from '../server/testing/organisation.ts';
import { installProbe } from './probe.ts';
import { grow } from './grow.ts';
import { writeFileSync } from 'node:fs';
import { purgeExpiredYielding } from '../server/retention/purge.ts';
import { fsyncPath } from '../server/cli/io.ts';

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

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ombud-bench-'));
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const config = parseConfig({
    OMBUD_DATA_DIR: dataDir, OMBUD_CLIENT_DIR: args['client-dir'], OMBUD_PUBLIC_URL: url,
    OMBUD_POW_DIFFICULTY: args['pow-difficulty'],
  });
  const db = openDatabase(join(dataDir, 'ombud.db'));
  const app = createApp({ db, config, clock: systemClock, secret: randomBytes(32) });
  const team = await addTeam(
    { repos: app.ombud.repos, clock: systemClock },
    { channelSlug: 'bench-factory', admin: { username: 'bench.admin', ...(args.password ? { password: args.password } : {}) } },
  );
  await seedCases(app, team.id, team.channelSlug, Number(args['seed-cases']));
  let grown: Record<string, unknown> | undefined;
  if (Number(args.grow) > 0) {
    const g = await grow(app, systemClock, { db,
      cases: Number(args.grow), teams: Number(args['grow-teams']), fileBytes: Number(args['file-bytes']),
      password: args.password ?? 'bench-Correct-Horse-Battery-Staple', sample: Number(args.sample),
      log: (line) => console.error(`[grow] ${line}`),
      progress: (done) => process.send?.({ type: 'grow-progress', done }),
    });
    // Generation writes without syncing (db/bulk-load.ts) and leaves gigabytes of the file unwritten in the
    // page cache. They are written back here, before anything is measured, and not while the first intake
    // rounds' fsyncs (of either server: one disk) wait behind them.
    const flushStarted = performance.now();
    fsyncPath(join(dataDir, 'ombud.db'));
    console.error(`[grow] written back to the disk in ${((performance.now() - flushStarted) / 1000).toFixed(1)} s`);
    const sampleFile = join(dataDir, 'sample.json');
    writeFileSync(sampleFile, JSON.stringify(g.sample));
    grown = { seconds: g.seconds, sampleFile, bigChannel: g.teams[0]!.channelSlug, bigAdmin: g.teams[0]!.admin.username };
  }
  http.on('request', app);
  installProbe(http);
  // Bench-only (IPC, no route): run the purge in this process, as the daily scheduler does (server/retention/scheduler.ts).
  process.on('message', async (message: { type?: string }) => {
    if (message?.type !== 'purge') return;
    const start = performance.now();
    const report = await purgeExpiredYielding({ repos: app.ombud.repos, audit: app.ombud.audit, clock: systemClock });
    process.send!({ type: 'purged', cases: report.cases.length, ms: Math.round(performance.now() - start) });
  });
  console.log(JSON.stringify({ url, channel: team.channelSlug, teamId: team.id, username: team.admin.username, dataDir, dbPath: join(dataDir, 'ombud.db'), grown }));

  const stop = () => {
    http.closeAllConnections();
    http.close(() => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  // SIGINT too: Ctrl-C on `npm run bench` reaches the whole process group.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
