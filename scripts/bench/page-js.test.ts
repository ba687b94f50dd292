import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { firstDownloadGzipBytes, initialJsGzipBytes } from './page-js.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function client(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-page-js-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'report.html'), '<script type="module" src="/assets/report-AAAAAAAA.js"></script><link rel="modulepreload" href="/assets/i18n-BBBBBBBB.js">');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'assets', name), text);
  return dir;
}
const gz = (text: string) => gzipSync(text, { level: 9 }).length;

describe('the report page’s first download in each language', () => {
  it('adds the largest catalog of the languages to the initial scripts, and names its language', () => {
    const report = 'r'.repeat(500);
    const i18n = 'i'.repeat(300);
    const hi = Array.from({ length: 400 }, (_, i) => `हिन्दी ${i}`).join(',');
    const dir = client({ 'report-AAAAAAAA.js': report, 'i18n-BBBBBBBB.js': i18n, 'en-CCCCCCCC.js': 'english', 'hi-DDDDDDDD.js': hi, 'pt-BR-EEEEEEEE.js': 'pt', 'team.hi-FFFFFFFF.js': 'x'.repeat(99_999) });
    expect(initialJsGzipBytes(dir).bytes).toBe(gz(report) + gz(i18n));
    expect(firstDownloadGzipBytes(dir, ['en', 'hi', 'pt-BR'])).toEqual({ bytes: gz(report) + gz(i18n) + gz(hi), lang: 'hi', catalogBytes: gz(hi) });
  });

  it('refuses to count a language whose catalog chunk is missing', () => {
    const dir = client({ 'report-AAAAAAAA.js': 'r', 'i18n-BBBBBBBB.js': 'i', 'en-CCCCCCCC.js': 'english' });
    expect(() => firstDownloadGzipBytes(dir, ['en', 'ur'])).toThrow(/no catalog chunk for ur/);
  });
});
