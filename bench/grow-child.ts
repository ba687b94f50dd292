/**
 * Generates a grown deployment (bench/grow.ts) in a process of its own, for
 * bench/ombud-server.ts, which serves it afterwards with the same secret.
 *
 * The generator's page cache (gigabytes, db/bulk-load.ts) is freed by SQLite
 * when it is done, but the C library keeps that memory in the process: a
 * server that generated its own database carried 2.26 GiB it never used
 * while it was measured, memory the kernel's page cache of the database
 * did not have (docs/performance.md, "Eighteenth run"). This process exits
 * instead, and its memory goes back to the machine.
 *
 *   tsx bench/grow-child.ts JOB.json
 *
 * Started with bench/child.ts `startChild`: it reads its job (`GrowJob`, a
 * file in the server's temporary folder, since it holds the secret) and
 * deletes it, sends `grow-progress` messages over the IPC channel as it
 * goes, and prints one JSON line (`GrownInfo`) when it is done, then exits.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/index.ts';
import { filesPathFor } from '../db/database.ts';
import { createApp } from '../server/app.ts';
import { systemClock } from '../server/clock.ts';
import { parseConfig } from '../server/config.ts';
import { fsyncPath } from '../server/cli/io.ts';
import { grow } from './grow.ts';

export interface GrowJob {
  /** The configuration the server will run with (parseConfig's variables). */
  env: Record<string, string>;
  /** The server's secret, hex: the sampled cases' credentials are keyed with it. */
  secretHex: string;
  dbPath: string;
  cases: number; teams: number; fileBytes: number; password: string; sample: number;
}

export interface GrownInfo {
  seconds: number;
  /** A JSON file of sampled cases' credentials, for POST /api/status. */
  sampleFile: string;
  bigChannel: string;
  bigAdmin: string;
  /** Writing the generated file back to the disk (before anything is measured). */
  flushSeconds: number;
}

const parent = process.ppid;

async function run(job: GrowJob): Promise<GrownInfo> {
  const db = openDatabase(job.dbPath);
  const app = createApp({ db, config: parseConfig(job.env), clock: systemClock, secret: new Uint8Array(Buffer.from(job.secretHex, 'hex')) });
  const g = await grow(app, systemClock, {
    db, cases: job.cases, teams: job.teams, fileBytes: job.fileBytes, password: job.password, sample: job.sample,
    log: (line) => console.error(`[grow] ${line}`),
    progress: (done) => {
      // Generation is one synchronous transaction, so the IPC channel's 'disconnect' would only be heard at
      // its end: the server that asked is looked for here, every 10,000 cases, and when it is gone this
      // stops. What was written stays in the temporary folder, which that server would have removed.
      if (process.ppid !== parent) process.exit(1);
      process.send?.({ type: 'grow-progress', done });
    },
  });
  const cpu = process.cpuUsage();
  console.error(`[grow] generator CPU: ${(cpu.user / 1e6).toFixed(0)} s user, ${(cpu.system / 1e6).toFixed(0)} s system; peak ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GiB resident`);
  // Generation writes without syncing (db/bulk-load.ts) and leaves gigabytes of the file unwritten in the
  // page cache. They are written back here (closing, SQLite checkpoints and syncs; then the file once more),
  // before anything is measured, and not while the first intake rounds' fsyncs (of either server: one disk)
  // wait behind them.
  const flushStarted = performance.now();
  db.close();
  g.placeFiles();
  fsyncPath(job.dbPath);
  fsyncPath(filesPathFor(job.dbPath));
  const sampleFile = join(job.env.OMBUD_DATA_DIR!, 'sample.json');
  writeFileSync(sampleFile, JSON.stringify(g.sample));
  return {
    seconds: g.seconds, sampleFile, bigChannel: g.teams[0]!.channelSlug, bigAdmin: g.teams[0]!.admin.username,
    flushSeconds: Math.round((performance.now() - flushStarted) / 100) / 10,
  };
}

const jobFile = process.argv[2]!;
const job = JSON.parse(readFileSync(jobFile, 'utf8')) as GrowJob;
rmSync(jobFile);
console.log(JSON.stringify(await run(job)));
// createApp starts no timers, but nothing else is left to do either.
process.exit(0);
