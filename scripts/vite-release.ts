/**
 * The last step of every client build (a Vite plugin, vite.config.ts), after
 * Vite has written dist/client:
 *
 * 1. Subresource Integrity: each `<script src>` and `<link href>` of each
 *    page gets `integrity="sha384-…"` of the file it names, so a page whose
 *    bytes are right refuses a changed script or stylesheet.
 * 2. Reproducibility: file modes become 0644 (folders 0755) whatever the
 *    umask, and times a fixed instant (SOURCE_DATE_EPOCH, else 2000-01-01), so two builds
 *    of one commit are identical in bytes, modes and times.
 * 3. The manifest (common/release-manifest.ts) at
 *    `.well-known/ombud/manifest.json`: every file's SHA-256, the CSP and
 *    headers the server must send, the entry points, the version and commit,
 *    and (for WEBCAT) the digests of the WebAssembly modules the scripts embed.
 *
 * The commit is OMBUD_BUILD_COMMIT if set (`scripts/build.mjs --commit`),
 * else `git rev-parse HEAD`, with `-dirty` when the sources of the client
 * have uncommitted changes; `unknown` outside git.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import {
  CSP_DIRECTIVES, DEFAULT_CSP, ENTRY_POINTS, MANIFEST_PATH, serializeManifest, STATIC_HEADERS, WELL_KNOWN_DIR, type ReleaseManifest,
} from '../common/release-manifest.ts';
import { hashClientFiles, wasmDigests } from '../server/release/client-files.ts';

/** What the client build reads: a change here makes a different client. */
const CLIENT_SOURCES = ['client', 'common', 'crypto', 'vite.config.ts', 'package.json', 'package-lock.json', 'scripts/vite-release.ts', 'server/release/client-files.ts'];

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** This build's commit, and the time to stamp on every file (seconds). */
export function buildIdentity(root: string, env: Record<string, string | undefined>): { commit: string; epoch: number } {
  let commit = env.OMBUD_BUILD_COMMIT;
  if (!commit) {
    const head = git(root, ['rev-parse', '--verify', '-q', 'HEAD']);
    const top = git(root, ['rev-parse', '--show-toplevel']);
    // Only when these sources are the checkout itself, not a copy inside some other repository's folder.
    if (head && top && realpathSync(top) === realpathSync(root)) {
      const dirty = git(root, ['status', '--porcelain', '--', ...CLIENT_SOURCES]);
      commit = dirty ? `${head}-dirty` : head;
    } else {
      commit = 'unknown';
    }
  }
  // Not the commit's time: a build from an unpacked `git archive` cannot know it, and must come out the same.
  // Pages and the manifest are served without Last-Modified (server/pages/routes.ts), assets have hashed names.
  const fromEnv = Number(env.SOURCE_DATE_EPOCH);
  const epoch = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 946_684_800;
  return { commit, epoch };
}

const TAG = /<(script|link)\b([^>]*?)(\s*\/?)>/gi;
const ATTR = (name: string) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i');

/** `page` with `integrity="sha384-…"` on every same-origin `<script src>` and `<link href>` that lacks one. */
export function addIntegrity(page: string, read: (path: string) => Uint8Array, pageName: string): string {
  if (/\sstyle\s*=/i.test(page)) throw new Error(`${pageName}: a style attribute: the CSP allows no inline style`);
  for (const [, text] of page.matchAll(/<style>([^]*?)<\/style>/gi)) {
    // An inline stylesheet applies only if the CSP names its hash (common/report-early-script.ts: the one there is).
    if (!inlineAllowed('style-src', text!)) throw new Error(`${pageName}: inline style: the CSP allows stylesheets from files only`);
  }
  if ((page.match(/<style\b/gi) ?? []).length !== (page.match(/<style>/gi) ?? []).length) throw new Error(`${pageName}: a <style> with attributes`);
  return page.replace(TAG, (tag, name: string, attrs: string, end: string, at: number) => {
    if (ATTR('integrity').test(attrs)) return tag;
    // A data block (`type="application/json"`) is never run: the early form's words.
    if (name.toLowerCase() === 'script' && /^\s+type="application\/json"(\s+id="[\w-]+")?$/i.test(attrs)) return tag;
    const url = ATTR(name.toLowerCase() === 'script' ? 'src' : 'href').exec(attrs)?.[1];
    // An inline script runs only if the CSP names its hash (common/report-early-script.ts: the two there are).
    if (url === undefined && name.toLowerCase() === 'script' && inlineAllowed('script-src', page.slice(at + tag.length).split('</script>')[0]!)) return tag;
    // The CSP would refuse any other inline script; a build that makes one is wrong, so it stops here.
    if (url === undefined) throw new Error(`${pageName}: an inline <${name}> (no ${name.toLowerCase() === 'script' ? 'src' : 'href'}): pages load only files listed in the manifest`);
    if (!url.startsWith('/') || url.startsWith('//')) throw new Error(`${pageName}: <${name}> refers to ${url}, outside this origin`);
    const digest = createHash('sha384').update(read(url)).digest('base64');
    return `<${name}${attrs} integrity="sha384-${digest}"${end}>`;
  });
}

/** Files the server may send gzipped (server/pages/precompressed.ts): the pages and the text assets. */
const COMPRESSIBLE = /\.(html|js|css|svg|json)$/;

/**
 * `x.gz` beside each page and text asset of 1 kB or more that gzip makes at least a tenth smaller.
 * Level 9, no name or time in the header (zlib writes none): the same input always gives the same
 * bytes, so the build stays reproducible, and the manifest lists these files like any other.
 */
export function writeGzipSiblings(outDir: string): void {
  const files = [
    ...readdirSync(outDir).filter((n) => n.endsWith('.html')),
    ...(existsSync(join(outDir, 'assets')) ? readdirSync(join(outDir, 'assets')).map((n) => `assets/${n}`) : []),
  ];
  for (const name of files.filter((n) => COMPRESSIBLE.test(n)).sort()) {
    const bytes = readFileSync(join(outDir, name));
    if (bytes.length < 1024) continue;
    const gz = gzipSync(bytes, { level: 9 });
    if (gz.length <= bytes.length * 0.9) writeFileSync(join(outDir, `${name}.gz`), gz);
  }
}

function inlineAllowed(directive: 'script-src' | 'style-src', text: string): boolean {
  return CSP_DIRECTIVES[directive]!.includes(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
}

function normalise(path: string, epoch: number): void {
  const info = statSync(path);
  if (info.isDirectory()) {
    for (const name of readdirSync(path)) normalise(join(path, name), epoch);
    chmodSync(path, 0o755);
  } else {
    chmodSync(path, 0o644);
  }
  utimesSync(path, epoch, epoch);
}

export function finishClientBuild(outDir: string, opts: { version: string; commit: string; epoch: number }): ReleaseManifest {
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.html')).sort()) {
    const file = join(outDir, name);
    const page = readFileSync(file, 'utf8');
    writeFileSync(file, addIntegrity(page, (url) => readFileSync(join(outDir, decodeURI(url.split(/[?#]/)[0]!))), name));
  }
  writeGzipSiblings(outDir);
  mkdirSync(join(outDir, WELL_KNOWN_DIR), { recursive: true });
  const manifest: ReleaseManifest = {
    app_name: 'ombud',
    version: opts.version,
    commit: opts.commit,
    default_csp: DEFAULT_CSP,
    extra_csp: {},
    default_index: 'index.html',
    headers: { ...STATIC_HEADERS },
    entry_points: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([k, v]) => [k, [...v]])),
    files: hashClientFiles(outDir),
    wasm: wasmDigests(outDir),
  };
  writeFileSync(join(outDir, MANIFEST_PATH), serializeManifest(manifest));
  normalise(outDir, opts.epoch);
  return manifest;
}

/** The Vite plugin: runs `finishClientBuild` once the bundle is written (builds only, not the dev server). */
export function releaseManifest(root: string): Plugin {
  return {
    name: 'ombud-release-manifest',
    apply: 'build',
    writeBundle: {
      order: 'post',
      sequential: true,
      handler(options) {
        if (!options.dir) throw new Error('the client build needs an output folder');
        const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
        finishClientBuild(options.dir, { version, ...buildIdentity(root, process.env) });
      },
    },
  };
}
