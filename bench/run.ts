/**
 * `npm run bench`: Ombud against its ceilings, in one run of a few minutes,
 * on loopback only. Prints a table and writes bench/results.json.
 * Targets are reported, never asserted. See docs/performance.md.
 *
 *   npm run bench                  # builds the client first
 *   npx tsx bench/run.ts --profile --load-only
 *       # CPU profile of the Ombud server through the measured intake rounds only (os tmpdir/ombud-bench-profiles/intake.cpuprofile),
 *       # then: npx tsx bench/profile-summary.ts $TMPDIR/ombud-bench-profiles/intake.cpuprofile
 *   npx tsx bench/run.ts --profile --browser-only
 *       # Chromium CPU profile of the first inbox run: …/ombud-bench-profiles/inbox.cpuprofile
 *
 * 1. report page: initial JavaScript, gzipped (dist/client/report.html)
 * 2. ceiling: bare Express 5 + better-sqlite3 child, same bodies, same load,
 *    alternating with the intake run in short rounds (the machine is shared)
 * 3. Ombud child (real createApp, file database, PoW difficulty 8 for
 *    pre-solving N challenges before the clock starts — verifying costs the
 *    server one hash at any difficulty): intake, then status lookups
 * 4. Ombud child at the default difficulty 16 with 10,000 seeded cases:
 *    Chromium sends reports and an investigator opens the inbox
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../scripts/chromium.ts';
import { firstDownloadGzipBytes, initialJsGzipBytes } from '../scripts/bench/page-js.ts';
import { WORKER_LANGUAGES } from '../common/limits.ts';
import {
  SCALE_METRICS, cpuPerRequest, cpuRoundRatios, emptyResults, perRequest, formatTable, median, ratio, spread, writeResults, type CpuReading, type Metric,
} from '../scripts/bench/report.ts';
import { fsyncsPerRequest } from './fsyncs.ts';
import { measureScale } from './scale.ts';
import { existsSync, readFileSync } from 'node:fs';
import { openInbox, reportPageTakesFiles, submitReport } from './browser.ts';
import { startChild } from './child.ts';
import { measureLowEnd } from './low-end.ts';
import { combine, enoughBodies, load, makeIntakeBodies, queue, type BodyQueue, type LoadFigures } from './load.ts';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '10' },
    // Each round: ROUND_S seconds of ceiling, then ROUND_S seconds of intake.
    'round-seconds': { type: 'string', default: '3' },
    'status-seconds': { type: 'string', default: '6' },
    'warmup-seconds': { type: 'string', default: '1.5' },
    // 6 rounds of 3 s at up to ~2,000 reports a second (grouped commits, an idle machine), the warm-up and the fsync round.
    bodies: { type: 'string', default: '56000' },
    'fsync-requests': { type: 'string', default: '400' },
    'inbox-cases': { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '6' },
    runs: { type: 'string', default: '3' },
    'submit-runs': { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    'browser-only': { type: 'boolean', default: false },
    // The grown deployment (bench/scale.ts) instead of the young one.
    scale: { type: 'boolean', default: false },
    'scale-cases': { type: 'string', default: '100000' },
    'file-bytes': { type: 'string', default: '131072' },
    'scale-rounds': { type: 'string', default: '6' },
    // 6,000 for each of 6 rounds: 3 s at ~2,000 req/s (both servers on an idle machine since group commit and
    // day-ordered cases, timed by their last answers; 18,000 ended every round early, docs/performance.md).
    'scale-bodies': { type: 'string', default: '36000' },
  },
});
const CONNECTIONS = Number(args.connections);
const ROUND_S = Number(args['round-seconds']);
const STATUS_S = Number(args['status-seconds']);
const WARMUP_S = Number(args['warmup-seconds']);
const FSYNC_REQUESTS = Number(args['fsync-requests']);
const BODIES = Number(args.bodies);
const INBOX_CASES = Number(args['inbox-cases']);
const ROUNDS = Number(args.rounds);
const RUNS = Number(args.runs);
const SUBMIT_RUNS = Number(args['submit-runs']);
const LOAD_POW_DIFFICULTY = 8;
const PASSWORD = 'bench-Correct-Horse-Battery-Staple';

interface OmbudInfo { url: string; channel: string; teamId: string; username: string; dataDir: string }

const loadAtStart = loadavg()[0]!.toFixed(2);
const results = emptyResults();
const notes: Partial<Record<Metric, string>> = {};
// Each line says how long the run has taken so far, so that a slow phase shows in the log.
const benchStarted = performance.now();
const log = (line: string) => console.error(`[bench +${((performance.now() - benchStarted) / 1000).toFixed(0)} s] ${line}`);

// A snapshot of the built client: other engineers' test runs rebuild dist/client (and delete
// its old assets) at any moment, which would break a page mid-run.
const clientDir = mkdtempSync(join(tmpdir(), 'ombud-bench-client-'));
cpSync('dist/client', clientDir, { recursive: true });
process.on('exit', () => rmSync(clientDir, { recursive: true, force: true }));

/** Runs one browser measurement; a failure is written down as the figure's note instead of ending the run. */
async function attempt(metric: Metric, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    log(`${metric} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    results[metric] = null;
    notes[metric] = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

// 1. The report page's initial JavaScript.
const js = initialJsGzipBytes(clientDir);
results.report_page_js_gz_bytes = js.bytes;
notes.report_page_js_gz_bytes = `${js.files.length} files`;
log(`report page JS: ${js.bytes} B gzipped in ${js.files.length} files`);
await attempt('report_page_first_download_gz_bytes', async () => {
  const first = firstDownloadGzipBytes(clientDir, WORKER_LANGUAGES);
  results.report_page_first_download_gz_bytes = first.bytes;
  notes.report_page_first_download_gz_bytes = `largest of ${WORKER_LANGUAGES.length} languages: ${first.lang} (its catalog ${first.catalogBytes} B)`;
  log(`report page first download: ${first.bytes} B gzipped at most (${first.lang})`);
});

// 2–3. Load: bodies first, then the ceiling, then Ombud, each alone under load.
// Outside the work tree (not gitignored there): the path is printed.
const profileDir = join(tmpdir(), 'ombud-bench-profiles');
if (args.profile) {
  mkdirSync(profileDir, { recursive: true });
  log(`CPU profiles go to ${profileDir}`);
}
async function measureLoad(): Promise<void> {
  const ombud = await startChild<OmbudInfo>(
    'bench/ombud-server.ts', ['--pow-difficulty', String(LOAD_POW_DIFFICULTY), '--client-dir', clientDir],
  );
  try {
    log(`making ${BODIES} intake bodies (each its own solved challenge and lookup id)…`);
    const bodies = (await makeIntakeBodies(ombud.info.url, ombud.info.channel, BODIES)).map((b) => JSON.stringify(b));
    // The ceiling gets the same bodies, each with a lookup id of its own (its table has a unique
    // index on it, as Ombud's has), made as they are sent: it may take many more than Ombud.
    const ceilingQueue: BodyQueue = {
      length: 1_000_000,
      next: 0,
      body: (i) => bodies[i % BODIES]!.replace(/"lookupId":"[^"]*"/, `"lookupId":"c${i.toString(36).padStart(42, '0')}"`),
    };

    // Alternate ceiling and intake in ROUNDS short runs each, so that both meet the same
    // moments of a shared, noisy machine. Each server also reports its own CPU time and the
    // requests it answered around each of its runs (bench/probe.ts): a figure the neighbours'
    // load does not swing the way throughput swings.
    const ceiling = await startChild<{ url: string }>('bench/ceiling-server.ts');
    const ceilingRuns: LoadFigures[] = [];
    const intakeRuns: LoadFigures[] = [];
    const ceilingCpu: Array<{ before: CpuReading; after: CpuReading }> = [];
    const intakeCpu: Array<{ before: CpuReading; after: CpuReading }> = [];
    // The fsync round's bodies are kept apart: on a quick machine the rounds would otherwise take them all.
    const fsyncReserve = FSYNC_REQUESTS > 0 ? FSYNC_REQUESTS + 3 * CONNECTIONS : 0;
    if (fsyncReserve >= BODIES) throw new Error(`--bodies ${BODIES} leaves none for the rounds after the fsync round's ${fsyncReserve}`);
    const intakeQueue = queue(bodies.slice(0, BODIES - fsyncReserve));
    const fsyncQueue = queue(bodies.slice(BODIES - fsyncReserve));
    const each = { connections: CONNECTIONS, durationS: ROUND_S, cycle: false, path: '/api/intake' };
    const measured = async (server: typeof ceiling, cpu: typeof ceilingCpu, run: () => Promise<LoadFigures>) => {
      const before = await server.probe();
      const figures = await run();
      cpu.push({ before, after: await server.probe() });
      return figures;
    };
    try {
      // One unmeasured run each first: the JIT's first seconds cost several times the CPU per request.
      if (WARMUP_S > 0) {
        await load({ ...each, durationS: WARMUP_S, url: ceiling.info.url, queue: ceilingQueue });
        await load({ ...each, durationS: WARMUP_S, url: ombud.info.url, queue: intakeQueue });
      }
      // The profile covers the intake rounds (and the server's idle time in the ceiling's), nothing else.
      if (args.profile) await ombud.profile('start');
      for (let round = 0; round < ROUNDS; round++) {
        // A quick machine may use up the bodies: the rounds measured so far count, and the note says so.
        if (!enoughBodies(intakeQueue, CONNECTIONS)) {
          log(`the intake bodies ran out after ${round} rounds: run with more --bodies`);
          break;
        }
        ceilingRuns.push(await measured(ceiling, ceilingCpu, () => load({ ...each, url: ceiling.info.url, queue: ceilingQueue })));
        intakeRuns.push(await measured(ombud, intakeCpu, () => load({ ...each, url: ombud.info.url, queue: intakeQueue })));
        const r = (runs: LoadFigures[], cpu: typeof ceilingCpu) => `${runs.at(-1)!.rps} req/s, ${cpuPerRequest(cpu.slice(-1))} µs CPU/req`;
        log(`round ${round + 1}: ceiling ${r(ceilingRuns, ceilingCpu)}; intake ${r(intakeRuns, intakeCpu)}` +
          (intakeRuns.at(-1)!.failed ? ` (${intakeRuns.at(-1)!.failed} refused: ${JSON.stringify(intakeRuns.at(-1)!.statusCodes)})` : ''));
      }
      if (intakeRuns.length === 0) throw new Error(`the warm-up used the intake bodies: run with more than --bodies ${BODIES}`);
      if (args.profile) {
        await ombud.profile('stop', join(profileDir, 'intake.cpuprofile'));
        log(`profile of the intake rounds: ${join(profileDir, 'intake.cpuprofile')} (${intakeRuns.reduce((n, r) => n + r.ok, 0)} reports received)`);
      }
      results.rss_peak_mib = Math.round(((await ombud.probe()).hwmKib ?? NaN) / 102.4) / 10 || null;
      if (FSYNC_REQUESTS > 0) {
        const fixed = { ...each, durationS: 60, amount: FSYNC_REQUESTS };
        const c = await fsyncsPerRequest(ceiling, () => load({ ...fixed, url: ceiling.info.url, queue: ceilingQueue }));
        const i = await fsyncsPerRequest(ombud, () => load({ ...fixed, url: ombud.info.url, queue: fsyncQueue }));
        results.ceiling_fsyncs_per_req = c.perRequest;
        results.intake_fsyncs_per_req = i.perRequest;
        notes.ceiling_fsyncs_per_req = `strace -f -c: ${c.fsyncs} fsync+fdatasync / ${c.answered} answered`;
        notes.intake_fsyncs_per_req = `strace -f -c: ${i.fsyncs} fsync+fdatasync / ${i.answered} answered`;
        log(`fsyncs: ceiling ${notes.ceiling_fsyncs_per_req}; intake ${notes.intake_fsyncs_per_req}`);
      }
    } finally {
      await ceiling.stop();
    }
    const ceilingAll = combine(ceilingRuns);
    const intake = combine(intakeRuns);
    const roundRatios = intakeRuns.map((r, i) => ratio(r.rps, ceilingRuns[i]!.rps)!);
    results.ceiling_rps = ceilingAll.rps;
    results.intake_rps = intake.rps;
    results.intake_p99_ms = intake.p99Ms;
    results.intake_vs_ceiling = median(roundRatios);
    results.intake_ratio_spread = spread(roundRatios);
    notes.intake_vs_ceiling = `median of ${roundRatios.length} rounds${roundRatios.length < ROUNDS ? ` (of ${ROUNDS}: the bodies ran out)` : ''}: ${roundRatios.join(', ')}`;
    notes.intake_ratio_spread = 'largest − smallest round ratio';
    results.ceiling_cpu_us_per_req = cpuPerRequest(ceilingCpu);
    results.intake_cpu_us_per_req = cpuPerRequest(intakeCpu);
    results.intake_cpu_vs_ceiling = ratio(results.ceiling_cpu_us_per_req, results.intake_cpu_us_per_req);
    // CPU time per request swings with the neighbours too, if far less than throughput (two identical servers
    // differed by about 7 % over 6–8 alternate rounds: docs/performance.md, "Twenty-sixth run"): the rounds' own
    // ratios show how far.
    const cpuRatios = cpuRoundRatios(ceilingCpu, intakeCpu);
    results.intake_cpu_ratio_spread = spread(cpuRatios);
    notes.intake_cpu_vs_ceiling = `all rounds; round by round: ${cpuRatios.join(', ')} (median ${median(cpuRatios)?.toFixed(3) ?? '—'})`;
    notes.intake_cpu_ratio_spread = 'largest − smallest round ratio of CPU per request';
    // Where the CPU time goes, user or system (the kernel: file and socket calls, fsync), and how many
    // read and write calls the kernel counted: counts the neighbours' load does not move.
    const split = (cpu: typeof ceilingCpu) => {
      const all = cpuPerRequest(cpu);
      const system = perRequest(cpu, (r) => r.systemUs);
      return all === null || system === null ? 'no split' : `user ${all - system} µs + system ${system} µs`;
    };
    notes.ceiling_cpu_us_per_req = split(ceilingCpu);
    notes.intake_cpu_us_per_req = `process.cpuUsage() in the server ÷ requests answered, all rounds: ${split(intakeCpu)}`;
    results.ceiling_io_calls_per_req = perRequest(ceilingCpu, (r) => r.ioCalls, 1);
    results.intake_io_calls_per_req = perRequest(intakeCpu, (r) => r.ioCalls, 1);
    notes.intake_io_calls_per_req = notes.ceiling_io_calls_per_req = 'read + write system calls (/proc/<pid>/io syscr + syscw) ÷ requests answered, all rounds';
    notes.rss_peak_mib = 'VmHWM of the Ombud server after the intake rounds';
    if (intake.failed) notes.intake_rps = `${intake.failed} refused: ${JSON.stringify(intake.statusCodes)}`;
    if (intake.durationS < ROUNDS * ROUND_S - 0.5) notes.intake_rps = `ran out of bodies after ${intake.durationS} s`;
    notes.intake_p99_ms = `worst of ${intakeRuns.length} rounds`;

    // Follow-up lookups of cases that exist: bodies from the start of the first round (the
    // last few handed out in a round may have been built but never sent).
    const lookups = bodies.slice(0, Math.max(1, intakeRuns[0]!.ok - 3 * CONNECTIONS)).map((b) => {
      const { lookupId, verifier } = JSON.parse(b) as { lookupId: string; verifier: string };
      return JSON.stringify({ lookupId, verifier });
    });
    const status = await load({ url: ombud.info.url, path: '/api/status', queue: queue(lookups), connections: CONNECTIONS, durationS: STATUS_S, cycle: true });
    log(`status: ${JSON.stringify(status)}`);
    results.status_rps = status.rps;
    results.status_p99_ms = status.p99Ms;
    if (status.failed) notes.status_rps = `${status.failed} failed: ${JSON.stringify(status.statusCodes)}`;
  } finally {
    await ombud.stop();
  }
}
// A run measures either the young deployment or (--scale) the grown one; results.json keeps
// the other part's figures from the run that measured them.
const resultsPath = join('bench', 'results.json');
const previous = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>) : {};
const keepPrevious = (metrics: readonly Metric[]) => {
  for (const m of metrics) {
    if (typeof previous[m] === 'number') results[m] = previous[m] as number;
    const note = (previous['notes'] as Record<string, string> | undefined)?.[m];
    if (note) notes[m] = note.endsWith(' (earlier run)') ? note : `${note} (earlier run)`;
  }
};
if (args.scale) {
  await measureScale({
    cases: Number(args['scale-cases']), fileBytes: Number(args['file-bytes']), rounds: Number(args['scale-rounds']),
    roundS: ROUND_S, connections: CONNECTIONS, bodies: Number(args['scale-bodies']), clientDir, password: PASSWORD, log,
  }, results, notes);
  const { METRICS } = await import('../scripts/bench/report.ts');
  keepPrevious(METRICS.filter((m) => !SCALE_METRICS.includes(m)));
  writeResults(resultsPath, {
    at: new Date().toISOString(), results, notes,
    setup: { scaleCases: Number(args['scale-cases']), fileBytes: Number(args['file-bytes']), scaleRounds: Number(args['scale-rounds']), roundSeconds: ROUND_S, connections: CONNECTIONS, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg()[0]!.toFixed(2) },
  });
  console.log(formatTable(results, notes));
  console.log(`\n1-minute load average: ${loadAtStart} at the start, ${loadavg()[0]!.toFixed(2)} at the end (${cpus().length} cores)`);
  process.exit(0);
}
keepPrevious(SCALE_METRICS);

if (!args['browser-only']) await measureLoad();

/** How the load figures were made, for results.json. */
function loadSetup() {
  return {
    connections: CONNECTIONS, roundSeconds: ROUND_S, rounds: ROUNDS, statusSeconds: STATUS_S, warmupSeconds: WARMUP_S, fsyncRequests: FSYNC_REQUESTS, intakeBodies: BODIES, loadPowDifficulty: LOAD_POW_DIFFICULTY,
    loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg()[0]!.toFixed(2),
  };
}

if (args['load-only']) {
  // The browsers' figures are kept from the run that measured them (marked so), as --scale keeps the rest.
  const { METRICS } = await import('../scripts/bench/report.ts');
  keepPrevious(METRICS.filter((m) => results[m] === null));
  writeResults(resultsPath, {
    at: new Date().toISOString(), results, notes,
    setup: loadSetup(),
  });
  console.log(formatTable(results, notes));
  console.log('written: bench/results.json');
  process.exit(0);
}

// 4. Browsers against Ombud at the default difficulty, with an inbox of INBOX_CASES cases.
log(`starting Ombud with ${INBOX_CASES} seeded cases (PoW difficulty 16)…`);
const seeded = await startChild<OmbudInfo>('bench/ombud-server.ts', [
  '--pow-difficulty', '16', '--seed-cases', String(INBOX_CASES), '--password', PASSWORD, '--client-dir', clientDir,
]);
const browser = await launchBrowser();
try {
  await attempt('submit_2kb_ms', async () => {
    const small: number[] = [];
    for (let i = 0; i < SUBMIT_RUNS; i++) small.push(await submitReport(browser, seeded.info.url, seeded.info.channel, { whatChars: 2048 }));
    log(`submit 2 KB: ${small.join(', ')} ms`);
    results.submit_2kb_ms = median(small);
    notes.submit_2kb_ms = `median of ${small.join(', ')}`;
  });

  await attempt('submit_20mb_ms', async () => {
    if (!(await reportPageTakesFiles(browser, seeded.info.url, seeded.info.channel))) {
      notes.submit_20mb_ms = 'pending attachments';
      return;
    }
    const large: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      large.push(await submitReport(browser, seeded.info.url, seeded.info.channel, {
        whatChars: 2048, attachment: { name: 'inspection.pdf', bytes: 20 * 1024 * 1024 },
      }));
    }
    log(`submit 20 MB: ${large.join(', ')} ms`);
    results.submit_20mb_ms = median(large);
    notes.submit_20mb_ms = `median of ${large.join(', ')}; a 20 MiB PDF, clock from choosing it`;
  });

  await attempt('inbox_10k_ms', async () => {
    const first: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const profilePath = args.profile && i === 0 ? join(profileDir, 'inbox.cpuprofile') : undefined;
      const run = await openInbox(browser, seeded.info.url, { username: seeded.info.username, password: PASSWORD }, INBOX_CASES, profilePath);
      first.push(run.firstMs);
      all.push(run.allMs);
    }
    log(`inbox ${INBOX_CASES}: first page ${first.join(', ')} ms; every case ${all.join(', ')} ms`);
    results.inbox_10k_ms = median(first);
    notes.inbox_10k_ms = `median of ${first.join(', ')}; sign-in (Argon2id) → first 200 rows drawn, search field there, ${INBOX_CASES} cases counted`;
    results.inbox_10k_all_ms = median(all);
    notes.inbox_10k_all_ms = `median of ${all.join(', ')}; sign-in → all ${INBOX_CASES} cases listed`;
  });

  // ── Low-end phone keys (bench/low-end.ts, kept apart from the figures above) ──
  await attempt('low_end_form_ms', async () => {
    const low = await measureLowEnd(browser, seeded.info.url, seeded.info.channel);
    log(`low end: form writable ${low.low_end_form_ms} ms (whole ${low.low_end_form_full_ms} ms), submit ${low.low_end_submit_2kb_ms} ms (at once: ${low.low_end_submit_2kb_cold_ms} ms), flaky 20 MiB ${low.flaky_submit_20mb_ok}`);
    results.low_end_form_ms = low.low_end_form_ms;
    results.low_end_form_full_ms = low.low_end_form_full_ms;
    results.low_end_submit_2kb_ms = low.low_end_submit_2kb_ms;
    results.low_end_submit_2kb_cold_ms = low.low_end_submit_2kb_cold_ms;
    results.flaky_submit_20mb_ok = low.flaky_submit_20mb_ok;
    Object.assign(notes, low.notes);
  });
  // ── end of the low-end block ──
} finally {
  await browser.close();
  await seeded.stop();
}

writeResults(resultsPath, {
  at: new Date().toISOString(),
  results,
  notes,
  setup: {
    ...loadSetup(),
    browserPowDifficulty: 16, inboxCases: INBOX_CASES, submitRuns: SUBMIT_RUNS, inboxRuns: RUNS,
  },
});
console.log(formatTable(results, notes));
console.log(`\n1-minute load average: ${loadAtStart} at the start, ${loadavg()[0]!.toFixed(2)} at the end (${cpus().length} cores)`);
console.log('written: bench/results.json');
