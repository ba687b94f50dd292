/**
 * Two builds of one commit — one in this checkout, one in a copy of its
 * sources in another folder, with another time zone, locale and umask — give
 * the same dist/client: the same files, bytes, modes and times, and so the
 * same manifest. Anyone can rebuild a release and compare it with what a
 * deployment serves (`ombud verify-deployment --commit`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSP_DIRECTIVES, MANIFEST_PATH, parseManifest } from '../common/release-manifest.ts';
import { REPORT_EARLY_FORM_SCRIPT, REPORT_EARLY_SCRIPT } from '../common/report-early-script.ts';

const root = process.cwd();
const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
let dir: string;

function build(from: string, out: string, env: Record<string, string>, umask: string): void {
  execFileSync('sh', ['-c', `umask ${umask} && exec "$0" scripts/build.mjs --client-only --out "$1" --commit "$2"`, process.execPath, out, commit], {
    cwd: from, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: 'pipe',
  });
}

/** Every entry under `base`: path → mode, mtime and content. */
function snapshot(base: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    const info = statSync(join(base, rel));
    const meta = `${(info.mode & 0o7777).toString(8)} ${Math.floor(info.mtimeMs / 1000)}`;
    if (info.isDirectory()) {
      out.set(`${rel}/`, meta);
      for (const name of readdirSync(join(base, rel)).sort()) walk(`${rel}/${name}`);
    } else {
      out.set(rel, `${meta} ${readFileSync(join(base, rel)).toString('base64')}`);
    }
  };
  walk('');
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-repro-'));
  // The copy: the sources the client build reads, in a folder with another name and depth.
  const copy = join(dir, 'elsewhere', 'a much longer', 'checkout');
  mkdirSync(copy, { recursive: true });
  for (const entry of ['client', 'common', 'crypto', 'scripts', 'server', 'vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(copy, 'node_modules'));
  build(root, join(dir, 'one'), { TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }, '022');
  build(copy, join(dir, 'two'), { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }, '077');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the client build', () => {
  it('is byte-identical (and mode- and time-identical) from two folders, time zones, locales and umasks', () => {
    const one = snapshot(join(dir, 'one', 'client'));
    const two = snapshot(join(dir, 'two', 'client'));
    expect(one.size).toBeGreaterThan(20);
    expect([...two.keys()]).toEqual([...one.keys()]);
    for (const [path, value] of one) expect(two.get(path), path).toBe(value);
  });

  it('lists every file it wrote in its manifest, with the commit it was told', () => {
    const manifest = parseManifest(readFileSync(join(dir, 'one', 'client', MANIFEST_PATH), 'utf8'));
    expect(manifest.commit).toBe(commit);
    const files = [...snapshot(join(dir, 'one', 'client')).keys()].filter((p) => !p.endsWith('/') && p !== MANIFEST_PATH);
    expect(Object.keys(manifest.files)).toEqual(files.sort());
    expect(files.some((p) => p.endsWith('.js'))).toBe(true);
    // hash-wasm's Argon2, BLAKE2b and SHA-256 at least, for WEBCAT's `wasm` list.
    expect(manifest.wasm.length).toBeGreaterThanOrEqual(3);
  });

  it('leaves no absolute path of the machine that built it in the client', () => {
    for (const [path, value] of snapshot(join(dir, 'two', 'client'))) {
      if (path.endsWith('/')) continue;
      const text = Buffer.from(value.split(' ')[2]!, 'base64').toString('latin1');
      for (const leak of [dir, root, realpathSync(tmpdir())]) expect(text.includes(leak), `${path} holds ${leak}`).toBe(false);
    }
  });

  it('puts Subresource Integrity on every <script> and <link> of every page, matching the file it names', () => {
    const client = join(dir, 'one', 'client');
    const pages = readdirSync(client).filter((n) => n.endsWith('.html'));
    expect(pages.length).toBeGreaterThanOrEqual(10);
    let checked = 0;
    for (const page of pages) {
      const html = readFileSync(join(client, page), 'utf8');
      // No inline script but the report page's early requests and early form, which the CSP allows by their hash
      // (its early words are a JSON data block, never run); no inline style but its first screen's, the same way.
      const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
      expect(inline, page).toEqual(page === 'report.html' ? [REPORT_EARLY_SCRIPT, REPORT_EARLY_FORM_SCRIPT] : []);
      for (const text of inline) expect(CSP_DIRECTIVES['script-src']).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
      const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]!);
      expect(styles.length, page).toBe(page === 'report.html' ? 1 : 0);
      for (const text of styles) expect(CSP_DIRECTIVES['style-src']).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
      for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
        if (!/\s(?:src|href)=/.test(tag) && /^<script/i.test(tag)) continue; // the inline script, checked above
        const url = /\s(?:src|href)="([^"]+)"/.exec(tag)?.[1];
        const integrity = /\sintegrity="sha384-([^"]+)"/.exec(tag)?.[1];
        expect(url, `${page}: ${tag}`).toMatch(/^\/assets\//);
        expect(integrity, `${page}: ${tag}`).toBe(createHash('sha384').update(readFileSync(join(client, url!))).digest('base64'));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});
