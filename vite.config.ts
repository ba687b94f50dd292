/**
 * Builds the browser pages (client/) into dist/client, one entry per page.
 *
 * The server sends `Content-Security-Policy: default-src 'self'; script-src
 * 'self' 'wasm-unsafe-eval' 'sha256-…'; style-src 'self'`, so the build must
 * never emit inline styles, data: URLs or inline scripts other than the one
 * whose hash the CSP names (the report page's early requests,
 * scripts/report-early.ts):
 * - `modulePreload.polyfill: false` — the polyfill would be an inline script;
 * - `assetsInlineLimit: 0` — small assets would otherwise become data: URLs.
 *
 * The build ends with scripts/vite-release.ts: `integrity` on every script
 * and stylesheet, reproducible modes and times, and the client manifest
 * `.well-known/ombud/manifest.json` (docs/verifying.md).
 *
 * `npx vite` (dev) and `npx vite preview` answer the same paths as the real
 * server (`/r/:slug`, `/status`, `/team`, `/setup`) and proxy `/api` to the
 * API server on OMBUD_API (default http://127.0.0.1:3000).
 *
 * The worker build for an independent static host (`npm run build --
 * --worker-origin-build DIR --api-origin URL`, which sets
 * OMBUD_WORKER_API_ORIGIN): only the worker pages (report, status, info),
 * each with `<meta name="ombud-api-origin" content="URL">` written into its
 * static HTML, and `.well-known/ombud/worker-headers.json`, the headers the
 * static host must send (server/security/worker-page-headers.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { LISTEN_VOICES } from './common/listen.ts';
import { buildPrompts, type PromptBuild } from './scripts/prompts.ts';
import { releaseManifest } from './scripts/vite-release.ts';
import { reportPageChunk } from './scripts/report-chunk.ts';
import { readCatalog, reportEarlyRequests } from './scripts/report-early.ts';
import { WORKER_ENTRIES, WORKER_ENTRY_POINTS, workerHostHeaders, workerPageCsp } from './server/security/worker-page-headers.ts';
import { MANIFEST_PATH, parseManifest, serializeManifest } from './common/release-manifest.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const client = `${here}client`;
const api = process.env.OMBUD_API ?? 'http://127.0.0.1:3000';
const workerApiOrigin = process.env.OMBUD_WORKER_API_ORIGIN ? new URL(process.env.OMBUD_WORKER_API_ORIGIN).origin : undefined;

/** Path on the real server → page file, for dev and preview only. */
function pageFor(path: string): string | undefined {
  if (path === '/') return '/index.html';
  if (/^\/r\/[a-z0-9-]+\/?$/.test(path)) return '/report.html';
  if (/^\/r\/[a-z0-9-]+\/info\/?$/.test(path) || /^\/info\/?$/.test(path)) return '/info.html';
  const page = /^\/(status|team|setup|join|poster|recover)\/?$/.exec(path)?.[1];
  return page ? `/${page}.html` : undefined;
}

const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
  const [path = '/', query] = (req.url ?? '/').split('?');
  const page = pageFor(path);
  if (page) req.url = query === undefined ? page : `${page}?${query}`;
  next();
};

/** Serves pages under the server's clean paths in dev and preview. */
function serverPaths(): Plugin {
  return {
    name: 'ombud-server-paths',
    configureServer: (server) => void server.middlewares.use(rewrite),
    configurePreviewServer: (server) => void server.middlewares.use(rewrite),
  };
}

/**
 * The listen prompts (docs/listening.md), recorded when the client is built
 * (scripts/prompts.ts) and emitted as assets: the clips under
 * assets/prompts/<lang>/ (named by their hash, cached for a year), and each
 * language's manifest (clip id → URL) at /listen-<lang>.json, revalidated on
 * every use so that a new build is heard at once. In dev (`npx vite`)
 * nothing is recorded and no listen control plays.
 */
function listenPrompts(): Plugin {
  let built: PromptBuild | undefined;
  let building = false;
  let off = false;
  return {
    name: 'ombud-listen-prompts',
    configResolved: (config) => void (building = config.command === 'build'),
    // Without the recorder the pages are built without listen controls (none that would fail when pressed);
    // `npm test` installs both programs first (scripts/ensure-system-deps.sh), so the tests always have them.
    transformIndexHtml: (html) => (off ? html.replace(/(<meta charset="utf-8" \/>)/, '$1\n    <meta name="ombud-listen" content="off" />') : html),
    async buildStart() {
      if (!building) return;
      const missing = ['espeak-ng', 'opusenc'].filter((program) => spawnSync(program, ['--version']).error !== undefined);
      if (missing.length > 0) {
        off = true;
        this.warn(`${missing.join(' and ')} not found: the pages are built without listen controls (Debian: apt-get install espeak-ng opus-tools, then build again)`);
        return;
      }
      const catalogs: Record<string, Record<string, string>> = {};
      for (const file of readdirSync(`${client}/i18n`).sort()) {
        const lang = file.replace(/\.ts$/, '');
        if (!file.endsWith('.ts') || file.endsWith('.test.ts') || !LISTEN_VOICES[lang]) continue;
        // A catalog is a plain object literal: stripped of its types, it loads as a module on any supported Node.
        catalogs[lang] = await readCatalog(`${client}/i18n/${file}`);
      }
      built = await buildPrompts({
        catalogs,
        cacheDir: `${here}node_modules/.cache/ombud-prompts`,
        concurrency: Math.max(1, Math.min(4, cpus().length)),
      });
    },
    generateBundle() {
      for (const file of built?.files ?? []) this.emitFile({ type: 'asset', fileName: file.fileName, source: file.bytes });
      for (const [lang, manifest] of Object.entries(built?.manifests ?? {})) {
        this.emitFile({ type: 'asset', fileName: `listen-${lang}.json`, source: JSON.stringify(manifest) });
      }
    },
  };
}

/** The worker build: the API origin in each page's static HTML, and the static host's headers beside the pages. */
function workerOriginBuild(apiOrigin: string): Plugin {
  return {
    name: 'ombud-worker-origin',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace(
        /(<meta charset="utf-8" \/>)/,
        `$1\n    <meta name="ombud-api-origin" content="${apiOrigin}" />`,
      ),
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: '.well-known/ombud/worker-headers.json',
        source: `${JSON.stringify(workerHostHeaders(apiOrigin), null, 2)}\n`,
      });
    },
  };
}

/**
 * The worker build's manifest says what its static host must send: its own CSP (the API origin in
 * connect-src) and only its pages. Runs after releaseManifest; the files and their hashes stay.
 */
function workerManifest(apiOrigin: string): Plugin {
  return {
    name: 'ombud-worker-manifest',
    apply: 'build',
    writeBundle: {
      order: 'post',
      sequential: true,
      handler(options) {
        const file = join(options.dir!, MANIFEST_PATH);
        const manifest = parseManifest(readFileSync(file, 'utf8'));
        const entry_points = Object.fromEntries(Object.entries(WORKER_ENTRY_POINTS).map(([k, v]) => [k, [...v]]));
        writeFileSync(file, serializeManifest({ ...manifest, default_csp: workerPageCsp(apiOrigin), default_index: 'info.html', entry_points }));
        const { mtime } = statSync(join(options.dir!, 'info.html'));
        utimesSync(file, mtime, mtime);
      },
    },
  };
}

const pages = {
  index: `${client}/index.html`,
  report: `${client}/report.html`,
  status: `${client}/status.html`,
  team: `${client}/team.html`,
  setup: `${client}/setup.html`,
  info: `${client}/info.html`,
  join: `${client}/join.html`,
  recover: `${client}/recover.html`,
  poster: `${client}/poster.html`,
  // Served at / and /team before first-run setup (server/pages/routes.ts).
  pending: `${client}/pending.html`,
  // The workspace's service worker, at a fixed address (/team-sw.js): client/team/pin/sw.ts.
  'team-sw': `${client}/team/pin/sw.ts`,
};

export default defineConfig({
  // Equivalent to `root: 'client'`, but independent of the working directory.
  root: client,
  publicDir: false,
  appType: 'mpa',
  // The prompts join the bundle as assets; after it is written: Subresource Integrity, fixed modes and
  // times, and the signed-to-be manifest, which therefore lists every prompt too (for the worker build,
  // then given that build's CSP and entry points).
  plugins: workerApiOrigin
    ? [serverPaths(), listenPrompts(), reportEarlyRequests(client), workerOriginBuild(workerApiOrigin), releaseManifest(here), workerManifest(workerApiOrigin)]
    : [serverPaths(), listenPrompts(), reportEarlyRequests(client), releaseManifest(here)],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    rolldownOptions: {
      input: workerApiOrigin ? Object.fromEntries(WORKER_ENTRIES.map((name) => [name, pages[name]])) : pages,
      output: {
        entryFileNames: (chunk) => (chunk.name === 'team-sw' ? 'team-sw.js' : 'assets/[name]-[hash].js'),
        // What the report page needs to show its form, in one chunk (scripts/report-chunk.ts); each page
        // still runs only the modules it imports.
        codeSplitting: { groups: [{ name: reportPageChunk(pages.report), debugName: 'report-page' }] },
        strictExecutionOrder: true,
      },
    },
  },
  server: { host: '127.0.0.1', proxy: { '/api': api } },
  preview: { host: '127.0.0.1', proxy: { '/api': api } },
});
