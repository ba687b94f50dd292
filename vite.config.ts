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
 */
import { readdirSync, readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { LISTEN_VOICES } from './common/listen.ts';
import { buildPrompts, type PromptBuild } from './scripts/prompts.ts';
import { releaseManifest } from './scripts/vite-release.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const client = `${here}client`;
const api = process.env.OMBUD_API ?? 'http://127.0.0.1:3000';

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
  return {
    name: 'ombud-listen-prompts',
    configResolved: (config) => void (building = config.command === 'build'),
    async buildStart() {
      if (!building) return;
      const catalogs: Record<string, Record<string, string>> = {};
      for (const file of readdirSync(`${client}/i18n`).sort()) {
        const lang = file.replace(/\.ts$/, '');
        if (!file.endsWith('.ts') || file.endsWith('.test.ts') || !LISTEN_VOICES[lang]) continue;
        // A catalog is a plain object literal: stripped of its types, it loads as a module on any supported Node.
        const { code } = await transform(readFileSync(`${client}/i18n/${file}`, 'utf8'), { loader: 'ts', format: 'esm' });
        const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, Record<string, string>>;
        catalogs[lang] = Object.values(module)[0]!;
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

export default defineConfig({
  // Equivalent to `root: 'client'`, but independent of the working directory.
  root: client,
  publicDir: false,
  appType: 'mpa',
  // The prompts join the bundle as assets; after it is written: Subresource Integrity, fixed modes and
  // times, and the signed-to-be manifest, which therefore lists every prompt too.
  plugins: [serverPaths(), listenPrompts(), releaseManifest(here)],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    rolldownOptions: {
      input: {
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
      },
    },
  },
  server: { host: '127.0.0.1', proxy: { '/api': api } },
  preview: { host: '127.0.0.1', proxy: { '/api': api } },
});
