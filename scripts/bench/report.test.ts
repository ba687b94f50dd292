import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { initialJsGzipBytes, initialScripts } from './page-js.ts';
import { METRICS, cpuPerRequest, cpuRoundRatios, emptyResults, perRequest, formatTable, median, ratio, spread, straceCounts, verdict, writeResults } from './report.ts';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('bench results', () => {
  it('judges each figure against its target, and says so when there is none', () => {
    expect(verdict('intake_vs_ceiling', 0.62)).toBe('met');
    expect(verdict('intake_vs_ceiling', 0.31)).toBe('missed');
    expect(verdict('inbox_10k_ms', 2000)).toBe('met');
    expect(verdict('inbox_10k_ms', 2400)).toBe('missed');
    expect(verdict('submit_20mb_ms', null)).toBe('no figure');
    expect(verdict('ceiling_rps', 1234)).toBe('n/a');
  });

  it('prints one row per metric with figure, target, verdict and note', () => {
    const results = { ...emptyResults(), ceiling_rps: 2000, intake_rps: 900, intake_vs_ceiling: 0.45, inbox_10k_ms: 1500.4 };
    const table = formatTable(results, { submit_20mb_ms: 'pending attachments' }).split('\n');
    expect(table).toHaveLength(2 + METRICS.length);
    expect(table.find((l) => l.startsWith('| intake_vs_ceiling'))).toMatch(/0\.45 ×\s+\| ≥ 0\.50 ×\s+\| missed/);
    expect(table.find((l) => l.startsWith('| inbox_10k_ms'))).toMatch(/1,500 ms\s+\| ≤ 2,000 ms\s+\| met/);
    expect(table.find((l) => l.startsWith('| submit_20mb_ms'))).toMatch(/—.*no figure \| pending attachments/);
  });

  it('writes every figure, null where not measured, with notes and setup', () => {
    dir = mkdtempSync(join(tmpdir(), 'ombud-bench-'));
    const path = join(dir, 'bench', 'results.json');
    writeResults(path, {
      at: '2026-11-24T08:00:00.000Z',
      results: { ...emptyResults(), ceiling_rps: 100, intake_rps: 60, intake_vs_ceiling: ratio(60, 100) },
      notes: { submit_20mb_ms: 'pending attachments' },
      setup: { connections: 10 },
    });
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written).toMatchObject({ ceiling_rps: 100, intake_vs_ceiling: 0.6, submit_20mb_ms: null, setup: { connections: 10 } });
    expect(written.notes.submit_20mb_ms).toBe('pending attachments');
    expect(Object.keys(written)).toContain('report_page_js_gz_bytes');
  });

  it('takes the median of an odd or even count, and nothing of none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(ratio(5, 0)).toBeNull();
  });

  it('gives the spread of the rounds as the largest minus the smallest', () => {
    expect(spread([0.52, 0.31, 0.47, 0.6])).toBe(0.29);
    expect(spread([0.5])).toBe(0);
    expect(spread([])).toBeNull();
  });

  it('divides the server CPU time of all rounds by the requests answered in them', () => {
    const rounds = [
      { before: { cpuUs: 1_000_000, answered: 10 }, after: { cpuUs: 1_500_000, answered: 510 } }, // 500 ms, 500 requests
      { before: { cpuUs: 2_000_000, answered: 600 }, after: { cpuUs: 2_600_000, answered: 900 } }, // 600 ms, 300 requests
    ];
    expect(cpuPerRequest(rounds)).toBe(1375); // 1.1 s over 800 requests
    expect(cpuPerRequest([{ before: { cpuUs: 5, answered: 3 }, after: { cpuUs: 9, answered: 3 } }])).toBeNull();
    expect(() => cpuPerRequest([{ before: { cpuUs: 9, answered: 3 }, after: { cpuUs: 5, answered: 4 } }])).toThrow(/order/);
  });

  it('pairs each intake round with the ceiling round before it for the CPU ratio', () => {
    const round = (cpuUs: number, answered: number) => ({ before: { cpuUs: 0, answered: 0 }, after: { cpuUs, answered } });
    const ceiling = [round(250_000, 1000), round(300_000, 1000), round(200_000, 1000)]; // 250, 300, 200 µs a request
    const intake = [round(500_000, 1000), round(500_000, 1000), round(5, 0)]; // 500, 500 µs; none answered
    expect(cpuRoundRatios(ceiling, intake)).toEqual([0.5, 0.6]);
    expect(cpuRoundRatios(ceiling.slice(0, 1), intake)).toEqual([0.5]);
    expect(cpuRoundRatios([], intake)).toEqual([]);
  });

  it('divides any counter of the server by the requests answered, and gives none when a reading lacks it', () => {
    const rounds = [
      { before: { cpuUs: 0, systemUs: 0, answered: 0, ioCalls: 100 }, after: { cpuUs: 900, systemUs: 300, answered: 3, ioCalls: 175 } },
      { before: { cpuUs: 1000, systemUs: 400, answered: 10, ioCalls: 200 }, after: { cpuUs: 1100, systemUs: 500, answered: 11, ioCalls: 230 } },
    ];
    expect(perRequest(rounds, (r) => r.systemUs)).toBe(100); // 400 µs over 4 requests
    expect(perRequest(rounds, (r) => r.ioCalls, 1)).toBe(26.3); // 105 calls over 4 requests
    expect(perRequest([{ before: { cpuUs: 0, answered: 0, ioCalls: null }, after: { cpuUs: 5, answered: 2, ioCalls: 9 } }], (r) => r.ioCalls)).toBeNull();
    expect(() => perRequest([{ before: { cpuUs: 0, answered: 0, ioCalls: 9 }, after: { cpuUs: 5, answered: 2, ioCalls: 3 } }], (r) => r.ioCalls)).toThrow(/order/);
  });

  it('reads the call counts from strace -c, with or without an errors column, 0 for calls not made', () => {
    const summary = [
      'strace: Process 20640 attached',
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      ' 86.59    0.000568         568       412           fdatasync',
      ' 13.41    0.000088          44         2         1 fsync',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.000656         218       414         1 total',
    ].join('\n');
    expect(straceCounts(summary, ['fsync', 'fdatasync', 'sync_file_range'])).toEqual({ fsync: 2, fdatasync: 412, sync_file_range: 0 });
  });
});

describe('report page initial JavaScript', () => {
  const html = `<head>
    <script type="module" crossorigin src="/assets/report-A.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/core-B.js">
    <link rel="stylesheet" href="/assets/report-C.css">
    <link rel="modulepreload" crossorigin href="/assets/core-B.js">
  </head>`;

  it('lists the module script and modulepreload links, not stylesheets, once each', () => {
    expect(initialScripts(html)).toEqual(['/assets/report-A.js', '/assets/core-B.js']);
  });

  it('sums the gzipped size of each listed file', () => {
    dir = mkdtempSync(join(tmpdir(), 'ombud-bench-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'report.html'), html);
    const a = 'console.log("a");'.repeat(50);
    const b = 'export const b = 1;';
    writeFileSync(join(dir, 'assets', 'report-A.js'), a);
    writeFileSync(join(dir, 'assets', 'core-B.js'), b);
    writeFileSync(join(dir, 'assets', 'report-C.css'), 'body{}');
    const expected = gzipSync(a, { level: 9 }).length + gzipSync(b, { level: 9 }).length;
    expect(initialJsGzipBytes(dir)).toEqual({ bytes: expected, files: ['/assets/report-A.js', '/assets/core-B.js'] });
  });
});
