/**
 * Builds the browser pages (client/) into dist/client, one entry per page.
 *
 * The server sends `Content-Security-Policy: default-src 'self'; script-src
 * 'self' 'wasm-unsafe-eval'; style-src 'self'`, so the build must never emit
 * inline scripts, inline styles or data: URLs:
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
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { releaseManifest } from './scripts/vite-release.ts';
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
  // After the bundle is written: Subresource Integrity, fixed modes and times, the signed-to-be manifest
  // (for the worker build, then given that build's CSP and entry points).
  plugins: workerApiOrigin
    ? [serverPaths(), workerOriginBuild(workerApiOrigin), releaseManifest(here), workerManifest(workerApiOrigin)]
    : [serverPaths(), releaseManifest(here)],
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
      },
    },
  },
  server: { host: '127.0.0.1', proxy: { '/api': api } },
  preview: { host: '127.0.0.1', proxy: { '/api': api } },
});
