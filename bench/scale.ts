/**
 * `npm run bench -- --scale`: a deployment that grew for years (bench/grow.ts)
 * against a young one, on the same machine at the same moments.
 *
 * 1. A small Ombud (one team, empty) and a grown one (--scale-cases cases over
 *    20 teams, messages, files, audit trail), both at PoW difficulty 8.
 * 2. Intake: alternating rounds small, grown; the median of per-round ratios.
 * 3. Status look-ups: p99 on each (small: cases its intake made; grown: a
 *    sample of the grown cases, spread over the whole database).
 * 4. The big team's inbox in Chromium (sign-in → first rows drawn and the search field there; then every case listed).
 * 5. Purge: the daily purge in the server process (as the scheduler runs it)
 *    while intake runs; every tenth grown case is due.
 * 6. Backup: the operator's snapshot (db/backup.ts, in a process of its own
 *    as `ombud backup` runs) while intake runs on the grown server.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { launchBrowser } from '../scripts/chromium.ts';
import { filesPathFor } from '../db/database.ts';
import { POW_TTL_MS } from '../server/reporter/pow-challenge.ts';
import { median, ratio, spread, type BenchResults, type Metric } from '../scripts/bench/report.ts';
import { openInbox } from './browser.ts';
import { startChild, type Child } from './child.ts';
import { load, makeIntakeBodies, queue, type BodyQueue, type LoadFigures } from './load.ts';

interface ScaleInfo {
  url: string; channel: string; dataDir: string; dbPath: string;
  grown?: { seconds: number; sampleFile: string; bigChannel: string; bigAdmin: string };
}

/**
 * Reports a second during the backup and the purge: ≈ 2 million a day, far above what any supply
 * chain sends (docs/scaling.md), and steady, so that the bodies last through a long phase.
 */
const STEADY_RATE = 25;

export interface ScaleOptions {
  cases: number;
  fileBytes: number;
  rounds: number;
  roundS: number;
  connections: number;
  /** Intake bodies for each server's rounds, and again for each of the backup and the purge. */
  bodies: number;
  clientDir: string;
  password: string;
  log: (line: string) => void;
}

/** How much of the main file and of the files' file is in the kernel's page cache (util-linux `fincore`), for a phase's note. */
function cachedShare(dbPath: string): string {
  const share = (path: string) => {
    const out = spawnSync('fincore', ['--bytes', '--noheadings', '--raw', '-o', 'RES,SIZE', path], { encoding: 'utf8' });
    const [res, size] = (out.stdout ?? '').trim().split(/\s+/).map(Number);
    return out.status === 0 && size ? `${Math.round((100 * res!) / size)} %` : 'unknown';
  };
  return `main file ${share(dbPath)} in the page cache, files' file ${share(filesPathFor(dbPath))}`;
}

/** The database's bytes: its file and log, and its files' file's (db/database.ts attachFiles). */
const fileBytes = (path: string) => [path, filesPathFor(path)].flatMap((p) => [p, `${p}-wal`]).filter(existsSync).reduce((sum, p) => sum + statSync(p).size, 0);

export async function measureScale(o: ScaleOptions, results: BenchResults, notes: Partial<Record<Metric, string>>): Promise<void> {
  const common = ['--pow-difficulty', '8', '--client-dir', o.clientDir, '--password', o.password];
  o.log(`growing ${o.cases} cases over 20 teams (files of ${o.fileBytes} B in one case of ten)…`);
  const started = performance.now();
  const small = await startChild<ScaleInfo>('bench/ombud-server.ts', common);
  const bodyQueue = async (child: Child<ScaleInfo>, count: number) =>
    queue((await makeIntakeBodies(child.info.url, child.info.channel, count)).map((b) => JSON.stringify(b)));
  // The small server's bodies for the rounds are made on the other core while the last 100,000 cases are
  // generated (about a minute at 1,000,000): late enough that their challenges are still valid when the rounds end.
  let smallBodiesMade: Promise<BodyQueue> | undefined;
  const makeSmallBodies = () => (smallBodiesMade ??= bodyQueue(small, o.bodies));
  let grown: Child<ScaleInfo>;
  try {
    grown = await startChild<ScaleInfo>('bench/ombud-server.ts', [...common, '--grow', String(o.cases), '--file-bytes', String(o.fileBytes)], [],
      (m) => {
        if (m?.type === 'grow-progress' && Number(m.done) >= o.cases - 100_000) void makeSmallBodies().catch(() => undefined);
      });
  } catch (error) {
    await small.stop();
    throw error;
  }
  try {
    const g = grown.info.grown!;
    o.log(`grown in ${g.seconds} s (child up after ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    results.db_bytes_per_case = Math.round(fileBytes(grown.info.dbPath) / o.cases);
    const filesFile = filesPathFor(grown.info.dbPath);
    const filesMiB = (existsSync(filesFile) ? statSync(filesFile).size : 0) / 2 ** 20;
    notes.db_bytes_per_case = `${(fileBytes(grown.info.dbPath) / 2 ** 20).toFixed(0)} MiB for ${o.cases} cases, ${filesMiB.toFixed(0)} MiB of it the files' file (generated in ${g.seconds} s)`;

    // Bodies: each costs a solved challenge beforehand, so not more than the rounds, the
    // backup and the purge take on this machine (a round that runs out is shorter, and says so).
    const perServer = o.bodies;
    o.log(`making ${perServer} intake bodies for each server (the small server's began while the last cases were generated)…`);
    const smallBodies = await makeSmallBodies();
    const grownBodies = await bodyQueue(grown, perServer);
    const intake = (child: Child<ScaleInfo>, q: BodyQueue, extra: Partial<Parameters<typeof load>[0]> = {}) =>
      load({ url: child.info.url, path: '/api/intake', queue: q, connections: o.connections, durationS: o.roundS, cycle: false, ...extra });

    await intake(small, smallBodies, { durationS: 1 });
    await intake(grown, grownBodies, { durationS: 1 });
    const smallRuns: LoadFigures[] = [];
    const grownRuns: LoadFigures[] = [];
    // Each round may use its share of what is left: a round that reaches its share ends early and its rate still holds,
    // where running out would throw away the generation before anything else was measured.
    const share = (q: BodyQueue, round: number) => Math.floor((q.length - q.next) / (o.rounds - round));
    let shortRounds = 0;
    for (let round = 0; round < o.rounds; round++) {
      const smallShare = share(smallBodies, round);
      const grownShare = share(grownBodies, round);
      if (Math.min(smallShare, grownShare) < 5 * o.connections) break;
      smallRuns.push(await intake(small, smallBodies, { amount: smallShare }));
      grownRuns.push(await intake(grown, grownBodies, { amount: grownShare }));
      if (smallRuns.at(-1)!.durationS < o.roundS * 0.9 || grownRuns.at(-1)!.durationS < o.roundS * 0.9) shortRounds++;
      o.log(`intake round ${round + 1}: small ${smallRuns.at(-1)!.rps} req/s, grown ${grownRuns.at(-1)!.rps} req/s`);
    }
    const ratios = grownRuns.map((r, i) => ratio(r.rps, smallRuns[i]!.rps)!);
    results.scale_intake_rps = median(grownRuns.map((r) => r.rps));
    results.scale_intake_vs_small = median(ratios);
    notes.scale_intake_vs_small = `median of ${ratios.length} rounds: ${ratios.join(', ')} (spread ${spread(ratios)})` +
      (ratios.length < o.rounds ? `; ${o.rounds - ratios.length} rounds not run: too few bodies (--scale-bodies)` : '') +
      (shortRounds > 0 ? `; ${shortRounds} rounds ended early on their share of bodies` : '');
    // What the grown server holds while it is measured (bench/grow-child.ts: not the generator's cache).
    const memory = await grown.probe();
    if (memory.rssKib !== null && memory.hwmKib !== null) {
      o.log(`grown server after the rounds: ${(memory.rssKib / 1024).toFixed(0)} MiB resident (peak ${(memory.hwmKib / 1024).toFixed(0)} MiB)`);
    }

    // Status look-ups: the small server's own cases, the grown server's sample.
    const smallLookups = smallBodies.next > 0
      ? Array.from({ length: Math.min(500, smallRuns[0]!.ok) }, (_, i) => {
        const { lookupId, verifier } = JSON.parse(smallBodies.body(i)) as { lookupId: string; verifier: string };
        return JSON.stringify({ lookupId, verifier });
      }) : [];
    const grownLookups = (JSON.parse(readFileSync(g.sampleFile, 'utf8')) as unknown[]).map((c) => JSON.stringify(c));
    if (grownLookups.length === 0 || smallLookups.length === 0) throw new Error('no cases to look up (the generator sampled none, or no report was stored)');
    const status = (child: Child<ScaleInfo>, lookups: string[]) =>
      load({ url: child.info.url, path: '/api/status', queue: queue(lookups), connections: o.connections, durationS: o.roundS, cycle: true });
    const smallStatus: LoadFigures[] = [];
    const grownStatus: LoadFigures[] = [];
    for (let round = 0; round < 2; round++) {
      smallStatus.push(await status(small, smallLookups));
      grownStatus.push(await status(grown, grownLookups));
    }
    const sp99 = median(smallStatus.map((s) => s.p99Ms))!;
    results.scale_status_p99_ms = median(grownStatus.map((s) => s.p99Ms));
    results.scale_status_p99_vs_small = ratio(results.scale_status_p99_ms, sp99);
    notes.scale_status_p99_ms = `small database: ${sp99} ms; grown ${grownStatus.map((s) => `${s.rps} req/s`).join(', ')}` +
      (grownStatus.some((s) => s.failed) ? `; ${grownStatus.map((s) => JSON.stringify(s.statusCodes)).join(' ')}` : '');
    o.log(`status p99: small ${sp99} ms, grown ${results.scale_status_p99_ms} ms`);

    // The big team's inbox.
    const bigTeamCases = Math.floor(o.cases * 0.1);
    try {
      const browser = await launchBrowser();
      try {
        const runs: Array<{ firstMs: number; allMs: number }> = [];
        for (let i = 0; i < 2; i++) runs.push(await openInbox(browser, grown.info.url, { username: g.bigAdmin, password: o.password }, bigTeamCases));
        const first = runs.map((r) => r.firstMs);
        const all = runs.map((r) => r.allMs);
        results.inbox_100k_ms = median(first);
        notes.inbox_100k_ms = `${bigTeamCases} cases in the team's inbox${bigTeamCases < 100_000 ? ' (not 100,000: --scale-cases 1000000 makes them)' : ''}; ` +
          `sign-in → first 200 rows and the search field; runs ${first.join(', ')} ms (the first on a cold page cache)`;
        results.inbox_100k_all_ms = median(all);
        notes.inbox_100k_all_ms = `sign-in → all ${bigTeamCases} cases listed; runs ${all.join(', ')} ms`;
      } finally {
        await browser.close();
      }
    } catch (error) {
      notes.inbox_100k_ms = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
    o.log(`inbox: ${results.inbox_100k_ms} ms, every case ${results.inbox_100k_all_ms} ms (${notes.inbox_100k_ms})`);

    // Backup and purge while intake runs at a steady rate: a full-speed load for a minutes-long
    // backup would need more prepared bodies than the machine can make, and the question is what a
    // report waits while either runs.
    // Bodies are made before the phases, not during them: made during the phase (tried once), their challenges
    // were asked for meanwhile, the server was busier, and the purge, which gives way to a busy server, took
    // 253 s against 147 (docs/performance.md, "Eighteenth run"): what a phase measures stays what it measured.
    // One set serves the purge and then the backup: as many as 25 a second spend while a challenge stays valid
    // (POW_TTL_MS). When the purge leaves fewer than a minute's, or bodies older than their challenges' life
    // less two minutes, the backup gets a set of its own, made just before it.
    // The purge goes first. The backup reads and writes both files and their copies (50 GB at a million cases),
    // more than the page cache holds, so whatever follows it reads the main file back from the disk, one random
    // page at a time: the purge did, after it (140–222 s, docs/performance.md, "Twenty-first run"). The backup
    // reads its files in order and is not slowed by a cold cache the same way. A deployment's daily purge and
    // its nightly backup meet in either order; each phase's note says how much of each file was in the cache
    // when it began.
    const steadyBodies = async () => ({ queue: await bodyQueue(grown, Math.min(o.bodies, (STEADY_RATE * POW_TTL_MS) / 1000)), made: performance.now() });
    const steadyIntake = (q: BodyQueue, until: Promise<unknown>) =>
      intake(grown, q, { durationS: 1800, until, rate: STEADY_RATE, amount: q.length - 2 * o.connections });
    let steady = await steadyBodies();
    const coverage = (during: LoadFigures, phaseS: number) =>
      during.durationS < phaseS * 0.95 ? ` (bodies ran out: intake covered ${during.durationS.toFixed(0)} of its ${phaseS.toFixed(0)} s)` : '';

    // Purge (in the server process, as its daily scheduler runs it) while intake runs.
    const purgeBodies = steady.queue;
    const purged = new Promise<{ cases: number; ms: number }>((resolve) => {
      const onMessage = (m: { type?: string; cases?: number; ms?: number }) => {
        if (m?.type !== 'purged') return;
        grown.process.off('message', onMessage);
        resolve({ cases: m.cases!, ms: m.ms! });
      };
      grown.process.on('message', onMessage);
    });
    const purgeCached = cachedShare(grown.info.dbPath);
    const duringPurge = steadyIntake(purgeBodies, purged);
    await new Promise((r) => setTimeout(r, 300));
    grown.process.send({ type: 'purge' });
    const p = await purged;
    const during = await duringPurge;
    results.purge_100k_s = Math.round((p.ms / 1000) * (100_000 / Math.max(1, p.cases)) * 10) / 10;
    notes.purge_100k_s = `${p.cases} cases purged in ${(p.ms / 1000).toFixed(1)} s, scaled linearly to 100,000; at its start ${purgeCached}`;
    results.intake_p99_during_purge_ms = during.p99Ms;
    notes.intake_p99_during_purge_ms = `${during.ok} reports stored at a steady ${STEADY_RATE} a second during the purge` +
      (during.failed ? `, ${during.failed} failed` : '') + coverage(during, p.ms / 1000);
    o.log(`purge: ${notes.purge_100k_s}; intake p99 meanwhile ${during.p99Ms} ms`);

    // Backup while intake runs.
    if (performance.now() - steady.made > POW_TTL_MS - 120_000 || steady.queue.length - steady.queue.next < STEADY_RATE * 60) {
      steady = await steadyBodies();
    }
    const backupDir = mkdtempSync(join(tmpdir(), 'ombud-bench-backup-'));
    try {
      const backupBodies = steady.queue;
      const backupCached = cachedShare(grown.info.dbPath);
      const t0 = performance.now();
      const backup = new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'bench/backup-child.ts', grown.info.dbPath, join(backupDir, 'snapshot.db')], { stdio: 'inherit' });
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`backup exited with ${code}`))));
      });
      const during = await steadyIntake(backupBodies, backup);
      results.backup_s = Math.round((await backup) * 10) / 10;
      results.intake_p99_during_backup_ms = during.p99Ms;
      notes.intake_p99_during_backup_ms = `${during.ok} reports stored at a steady ${STEADY_RATE} a second during the snapshot` +
        (during.failed ? `, ${during.failed} failed` : '') + coverage(during, results.backup_s);
      notes.backup_s = `at its start ${backupCached}`;
      o.log(`backup ${results.backup_s} s; intake p99 meanwhile ${during.p99Ms} ms; at its start ${backupCached}`);
    } finally {
      rmSync(backupDir, { recursive: true, force: true });
    }
  } finally {
    await small.stop();
    await grown.stop();
  }
}
