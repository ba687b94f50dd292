/**
 * The benchmark's results (bench/run.ts): one record of figures, the targets
 * they are compared with, a plain-text table, and `bench/results.json`.
 * Targets are reported, never asserted: a missed target is a finding, not a
 * failure. Kept here (not in bench/) so the unit project tests it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BenchResults {
  ceiling_rps: number | null;
  intake_rps: number | null;
  intake_p99_ms: number | null;
  intake_vs_ceiling: number | null;
  status_rps: number | null;
  status_p99_ms: number | null;
  submit_2kb_ms: number | null;
  submit_20mb_ms: number | null;
  /** Sign-in → the first rows drawn and the search field there (the first page; the rest may still be coming). */
  inbox_10k_ms: number | null;
  /** Sign-in → every case in the list (filters and search over all of them): no target, shown so that nothing is hidden. */
  inbox_10k_all_ms: number | null;
  report_page_js_gz_bytes: number | null;
  /** The same plus the catalog of the language shown, for the language whose catalog is largest. */
  report_page_first_download_gz_bytes: number | null;
  // Figures that the neighbours' load swings far less than throughput: server CPU and fsyncs per request.
  intake_ratio_spread: number | null;
  ceiling_cpu_us_per_req: number | null;
  intake_cpu_us_per_req: number | null;
  intake_cpu_vs_ceiling: number | null;
  /** The same ratio round by round (each intake round against the ceiling round just before it): largest − smallest. */
  intake_cpu_ratio_spread: number | null;
  ceiling_fsyncs_per_req: number | null;
  intake_fsyncs_per_req: number | null;
  /** Read and write system calls per request as the kernel counts them (/proc/<pid>/io: syscr + syscw), over the rounds. */
  ceiling_io_calls_per_req: number | null;
  intake_io_calls_per_req: number | null;
  rss_peak_mib: number | null;
  // A deployment that grew for years (`--scale`).
  db_bytes_per_case: number | null;
  scale_status_p99_ms: number | null;
  scale_status_p99_vs_small: number | null;
  scale_intake_rps: number | null;
  scale_intake_vs_small: number | null;
  inbox_100k_ms: number | null;
  inbox_100k_all_ms: number | null;
  purge_100k_s: number | null;
  intake_p99_during_purge_ms: number | null;
  backup_s: number | null;
  intake_p99_during_backup_ms: number | null;
  // A low-end phone (bench/low-end.ts).
  /** Link opened → "What happened?" writable (the early form). */
  low_end_form_ms: number | null;
  /** Link opened → the whole form: no target, shown so that nothing is hidden. */
  low_end_form_full_ms: number | null;
  low_end_submit_2kb_ms: number | null;
  /** The same, "send" pressed at once (no writing time for the form's work ahead of send): no target, shown so that nothing is hidden. */
  low_end_submit_2kb_cold_ms: number | null;
  flaky_submit_20mb_ok: number | null;
}

export type Metric = keyof BenchResults;

export interface Target {
  /** `min`: the figure should be at least `value`; `max`: at most. */
  kind: 'min' | 'max';
  value: number;
}

export const TARGETS: Partial<Record<Metric, Target>> = {
  intake_vs_ceiling: { kind: 'min', value: 0.5 },
  inbox_10k_ms: { kind: 'max', value: 2000 },
  submit_2kb_ms: { kind: 'max', value: 2000 },
  submit_20mb_ms: { kind: 'max', value: 5000 },
  report_page_js_gz_bytes: { kind: 'max', value: 150_000 },
  report_page_first_download_gz_bytes: { kind: 'max', value: 150_000 },
  intake_cpu_vs_ceiling: { kind: 'min', value: 0.5 },
  inbox_100k_ms: { kind: 'max', value: 4000 },
  scale_intake_vs_small: { kind: 'min', value: 0.8 },
  scale_status_p99_vs_small: { kind: 'max', value: 2 },
  intake_p99_during_purge_ms: { kind: 'max', value: 500 },
  intake_p99_during_backup_ms: { kind: 'max', value: 500 },
  low_end_form_ms: { kind: 'max', value: 3000 },
  low_end_submit_2kb_ms: { kind: 'max', value: 10_000 },
  flaky_submit_20mb_ok: { kind: 'min', value: 1 },
};

const UNITS: Record<Metric, string> = {
  ceiling_rps: 'req/s',
  intake_rps: 'req/s',
  intake_p99_ms: 'ms',
  intake_vs_ceiling: '×',
  status_rps: 'req/s',
  status_p99_ms: 'ms',
  submit_2kb_ms: 'ms',
  submit_20mb_ms: 'ms',
  inbox_10k_ms: 'ms',
  inbox_10k_all_ms: 'ms',
  report_page_js_gz_bytes: 'B',
  report_page_first_download_gz_bytes: 'B',
  intake_ratio_spread: '×',
  ceiling_cpu_us_per_req: 'µs',
  intake_cpu_us_per_req: 'µs',
  intake_cpu_vs_ceiling: '×',
  intake_cpu_ratio_spread: '×',
  ceiling_fsyncs_per_req: '',
  intake_fsyncs_per_req: '',
  ceiling_io_calls_per_req: '',
  intake_io_calls_per_req: '',
  rss_peak_mib: 'MiB',
  db_bytes_per_case: 'B',
  scale_status_p99_ms: 'ms',
  scale_status_p99_vs_small: '×',
  scale_intake_rps: 'req/s',
  scale_intake_vs_small: '×',
  inbox_100k_ms: 'ms',
  inbox_100k_all_ms: 'ms',
  purge_100k_s: 's',
  intake_p99_during_purge_ms: 'ms',
  backup_s: 's',
  intake_p99_during_backup_ms: 'ms',
  low_end_form_ms: 'ms',
  low_end_form_full_ms: 'ms',
  low_end_submit_2kb_ms: 'ms',
  low_end_submit_2kb_cold_ms: 'ms',
  flaky_submit_20mb_ok: '(1/0)',
};

/** The figures `--scale` measures; a run without it keeps the previous run's values of these. */
export const SCALE_METRICS: readonly Metric[] = [
  'db_bytes_per_case', 'scale_status_p99_ms', 'scale_status_p99_vs_small', 'scale_intake_rps', 'scale_intake_vs_small',
  'inbox_100k_ms', 'inbox_100k_all_ms', 'purge_100k_s', 'intake_p99_during_purge_ms', 'backup_s', 'intake_p99_during_backup_ms',
];

export const METRICS = Object.keys(UNITS) as Metric[];

export type Verdict = 'met' | 'missed' | 'n/a' | 'no figure';

export function verdict(metric: Metric, value: number | null): Verdict {
  const target = TARGETS[metric];
  if (!target) return 'n/a';
  if (value === null) return 'no figure';
  return (target.kind === 'min' ? value >= target.value : value <= target.value) ? 'met' : 'missed';
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-GB');
  return Math.abs(value) < 10 ? value.toFixed(2) : Math.round(value).toLocaleString('en-GB');
}

function formatTarget(metric: Metric): string {
  const target = TARGETS[metric];
  if (!target) return '';
  return `${target.kind === 'min' ? '≥' : '≤'} ${formatNumber(target.value)} ${UNITS[metric]}`;
}

/**
 * A Markdown table (readable in a terminal too): figure, target, verdict.
 * `notes` explains a missing figure or qualifies one (e.g. "pending attachments").
 */
export function formatTable(results: BenchResults, notes: Partial<Record<Metric, string>> = {}): string {
  const rows = METRICS.map((metric) => {
    const value = results[metric];
    const figure = value === null ? '—' : `${formatNumber(value)} ${UNITS[metric]}`;
    return [metric, figure, formatTarget(metric), verdict(metric, value), notes[metric] ?? ''];
  });
  const header = ['metric', 'figure', 'target', 'verdict', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** An empty record: every figure null until measured. */
export function emptyResults(): BenchResults {
  return Object.fromEntries(METRICS.map((m) => [m, null])) as unknown as BenchResults;
}

/** intake_rps / ceiling_rps, or null when either is missing or the ceiling is zero. */
export function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return Math.round((numerator / denominator) * 1000) / 1000;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How far apart the rounds were: the largest value minus the smallest (null for none). */
export function spread(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((Math.max(...values) - Math.min(...values)) * 1000) / 1000;
}

/**
 * A server's own reading (bench/probe.ts): CPU time in µs (and its system
 * part), requests answered, read and write system calls (null where the
 * kernel's count could not be read).
 */
export interface CpuReading { cpuUs: number; systemUs?: number; answered: number; ioCalls?: number | null }

/**
 * A counter of the server per request answered between two readings, summed
 * over rounds (each round a before/after pair); null if none was answered or
 * a reading lacks the counter.
 */
export function perRequest(
  rounds: ReadonlyArray<{ before: CpuReading; after: CpuReading }>,
  counter: (reading: CpuReading) => number | null | undefined,
  decimals = 0,
): number | null {
  let sum = 0;
  let answered = 0;
  for (const { before, after } of rounds) {
    const from = counter(before);
    const to = counter(after);
    if (from == null || to == null) return null;
    if (to < from || after.answered < before.answered) throw new Error('readings out of order');
    sum += to - from;
    answered += after.answered - before.answered;
  }
  const scale = 10 ** decimals;
  return answered === 0 ? null : Math.round((sum / answered) * scale) / scale;
}

/** Server CPU time per request answered, summed over rounds: µs, or null if none was answered. */
export function cpuPerRequest(rounds: ReadonlyArray<{ before: CpuReading; after: CpuReading }>): number | null {
  return perRequest(rounds, (r) => r.cpuUs);
}

/**
 * Ceiling ÷ intake CPU per request, round by round: each intake round against the ceiling round paired with it
 * (the one just before it). Rounds without a figure on either side are left out.
 */
export function cpuRoundRatios(
  ceiling: ReadonlyArray<{ before: CpuReading; after: CpuReading }>,
  intake: ReadonlyArray<{ before: CpuReading; after: CpuReading }>,
): number[] {
  return intake
    .map((round, i) => (ceiling[i] ? ratio(cpuPerRequest([ceiling[i]]), cpuPerRequest([round])) : null))
    .filter((r): r is number => r !== null);
}

/**
 * The calls counted in `strace -c` output (its summary table), by name:
 * e.g. { fsync: 0, fdatasync: 812 }. Names asked for but not in the table
 * were not called: 0.
 */
export function straceCounts(summary: string, names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const line of summary.split('\n')) {
    // % time  seconds  usecs/call  calls  [errors]  syscall
    const cells = line.trim().split(/\s+/);
    const name = cells.at(-1)!;
    if (!(name in counts) || !/^\d+(\.\d+)?$/.test(cells[0] ?? '')) continue;
    counts[name] = Number(cells[3]); // the errors column, when present, comes after calls
  }
  return counts;
}

export interface ResultsFile {
  /** ISO time of the run. */
  at: string;
  results: BenchResults;
  notes: Partial<Record<Metric, string>>;
  /** How the figures were made: connections, duration, PoW difficulty, … */
  setup: Record<string, string | number>;
}

export function writeResults(path: string, file: ResultsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...file.results, notes: file.notes, setup: file.setup, at: file.at }, null, 2)}\n`);
}
