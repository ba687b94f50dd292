/**
 * `npm run bench`: Ombud against its ceilings, in one run of a few minutes,
 * on loopback only. Prints a table and writes bench/results.json.
 * Targets are reported, never asserted. See docs/performance.md.
 *
 *   npm run bench                  # builds the client first
 *   npx tsx bench/run.ts --profile --load-only
 *       # CPU profile of the Ombud server through the load part (os tmpdir/ombud-bench-profiles/),
 *       # then: npx tsx bench/profile-summary.ts $TMPDIR/ombud-bench-profiles/<file>.cpuprofile
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
import { initialJsGzipBytes } from '../scripts/bench/page-js.ts';
import { emptyResults, formatTable, median, ratio, writeResults, type Metric } from '../scripts/bench/report.ts';
import { openInbox, reportPageTakesFiles, submitReport } from './browser.ts';
import { startChild } from './child.ts';
import { measureLowEnd } from './low-end.ts';
import { combine, load, makeIntakeBodies, queue, type BodyQueue, type LoadFigures } from './load.ts';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    bodies: { type: 'string', default: '8000' },
    'inbox-cases': { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    'submit-runs': { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    'browser-only': { type: 'boolean', default: false },
  },
});
const CONNECTIONS = Number(args.connections);
const DURATION_S = Number(args.duration);
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
const log = (line: string) => console.error(`[bench] ${line}`);

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
    args.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
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
    // moments of a shared, noisy machine; each gets DURATION_S seconds in all.
    const ceiling = await startChild<{ url: string }>('bench/ceiling-server.ts');
    const ceilingRuns: LoadFigures[] = [];
    const intakeRuns: LoadFigures[] = [];
    const intakeQueue = queue(bodies);
    const each = { connections: CONNECTIONS, durationS: DURATION_S / ROUNDS, cycle: false, path: '/api/intake' };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        ceilingRuns.push(await load({ ...each, url: ceiling.info.url, queue: ceilingQueue }));
        log(`ceiling round ${round + 1}: ${JSON.stringify(ceilingRuns.at(-1))}`);
        intakeRuns.push(await load({ ...each, url: ombud.info.url, queue: intakeQueue }));
        log(`intake round ${round + 1}: ${JSON.stringify(intakeRuns.at(-1))}`);
      }
    } finally {
      await ceiling.stop();
    }
    const ceilingAll = combine(ceilingRuns);
    const intake = combine(intakeRuns);
    results.ceiling_rps = ceilingAll.rps;
    results.intake_rps = intake.rps;
    results.intake_p99_ms = intake.p99Ms;
    results.intake_vs_ceiling = ratio(intake.rps, results.ceiling_rps);
    notes.intake_vs_ceiling = `rounds: ${intakeRuns.map((r, i) => ratio(r.rps, ceilingRuns[i]!.rps)).join(', ')}`;
    if (intake.failed) notes.intake_rps = `${intake.failed} refused: ${JSON.stringify(intake.statusCodes)}`;
    if (intake.durationS < DURATION_S - 0.5) notes.intake_rps = `ran out of bodies after ${intake.durationS} s`;
    notes.intake_p99_ms = `worst of ${ROUNDS} rounds`;

    // Follow-up lookups of cases that exist: bodies from the start of the first round (the
    // last few handed out in a round may have been built but never sent).
    const lookups = bodies.slice(0, Math.max(1, intakeRuns[0]!.ok - 3 * CONNECTIONS)).map((b) => {
      const { lookupId, verifier } = JSON.parse(b) as { lookupId: string; verifier: string };
      return JSON.stringify({ lookupId, verifier });
    });
    const status = await load({ url: ombud.info.url, path: '/api/status', queue: queue(lookups), connections: CONNECTIONS, durationS: DURATION_S, cycle: true });
    log(`status: ${JSON.stringify(status)}`);
    results.status_rps = status.rps;
    results.status_p99_ms = status.p99Ms;
    if (status.failed) notes.status_rps = `${status.failed} failed: ${JSON.stringify(status.statusCodes)}`;
  } finally {
    await ombud.stop();
  }
}
if (!args['browser-only']) await measureLoad();

if (args['load-only']) {
  console.log(formatTable(results, notes));
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
    const inbox: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const profilePath = args.profile && i === 0 ? join(profileDir, 'inbox.cpuprofile') : undefined;
      inbox.push(await openInbox(browser, seeded.info.url, { username: seeded.info.username, password: PASSWORD }, INBOX_CASES, profilePath));
    }
    log(`inbox ${INBOX_CASES}: ${inbox.join(', ')} ms`);
    results.inbox_10k_ms = median(inbox);
    notes.inbox_10k_ms = `median of ${inbox.join(', ')}; sign-in (Argon2id) → list of ${INBOX_CASES} cases shown (first 200 rows drawn)`;
  });

  // ── Low-end phone keys (bench/low-end.ts, kept apart from the figures above) ──
  await attempt('low_end_form_ms', async () => {
    const low = await measureLowEnd(browser, seeded.info.url, seeded.info.channel);
    log(`low end: form ${low.low_end_form_ms} ms, submit ${low.low_end_submit_2kb_ms} ms, flaky 20 MiB ${low.flaky_submit_20mb_ok}`);
    results.low_end_form_ms = low.low_end_form_ms;
    results.low_end_submit_2kb_ms = low.low_end_submit_2kb_ms;
    results.flaky_submit_20mb_ok = low.flaky_submit_20mb_ok;
    Object.assign(notes, low.notes);
  });
  // ── end of the low-end block ──
} finally {
  await browser.close();
  await seeded.stop();
}

writeResults(join('bench', 'results.json'), {
  at: new Date().toISOString(),
  results,
  notes,
  setup: {
    connections: CONNECTIONS, durationS: DURATION_S, rounds: ROUNDS, intakeBodies: BODIES, loadPowDifficulty: LOAD_POW_DIFFICULTY,
    loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg()[0]!.toFixed(2),
    browserPowDifficulty: 16, inboxCases: INBOX_CASES, submitRuns: SUBMIT_RUNS, inboxRuns: RUNS,
  },
});
console.log(formatTable(results, notes));
console.log(`\n1-minute load average: ${loadAtStart} at the start, ${loadavg()[0]!.toFixed(2)} at the end (${cpus().length} cores)`);
console.log('written: bench/results.json');
