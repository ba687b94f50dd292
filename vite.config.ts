/**
 * Builds the browser pages (client/) into dist/client, one entry per page.
 *
 * The server sends `Content-Security-Policy: default-src 'self'; script-src
 * 'self' 'wasm-unsafe-eval'; style-src 'self'`, so the build must never emit
 * inline scripts, inline styles or data: URLs:
 * - `modulePreload.polyfill: false` — the polyfill would be an inline script;
 * - `assetsInlineLimit: 0` — small assets would otherwise become data: URLs.
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
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { WORKER_ENTRIES, workerHostHeaders } from './server/security/worker-page-headers.ts';

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
};

export default defineConfig({
  // Equivalent to `root: 'client'`, but independent of the working directory.
  root: client,
  publicDir: false,
  appType: 'mpa',
  plugins: workerApiOrigin ? [serverPaths(), workerOriginBuild(workerApiOrigin)] : [serverPaths()],
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
    },
  },
  server: { host: '127.0.0.1', proxy: { '/api': api } },
  preview: { host: '127.0.0.1', proxy: { '/api': api } },
});
