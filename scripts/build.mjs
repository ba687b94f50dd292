/**
 * The release build (`npm run build`): the browser pages with Vite into
 * dist/client, and the server and the operator's tool with esbuild into
 * dist/server/main.js and dist/server/ombud.js, with the migrations beside
 * them (dist/server/migrations/, where db/database.ts looks for them relative
 * to its own module). Runtime packages stay external, so production runs
 * `node dist/server/main.js` after `npm ci --omit=dev`.
 *
 * Quiet: it prints one line, or Vite's and esbuild's errors.
 * It ends by writing dist/.build-stamp (scripts/start.mjs compares it with
 * the sources' times). `--out DIR` builds into another folder instead of
 * dist/ (the release test does, so that it never rewrites the dist/client a
 * browser journey is being served from at the same moment).
 *
 * dist/client is reproducible: two builds of one commit, in any folder, time
 * zone, locale or umask, are identical in bytes, modes and times, and end with
 * the client manifest `dist/client/.well-known/ombud/manifest.json`
 * (scripts/vite-release.ts). `--commit SHA` names the commit being built when
 * the folder is not a git checkout (an unpacked `git archive`); otherwise git
 * says. `--client-only` skips the server bundle.
 */
import { build as esbuild } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildRelease({ quiet = true, outDir = join(root, 'dist'), commit = undefined, clientOnly = false } = {}) {
  const started = Date.now();
  rmSync(join(outDir, '.build-stamp'), { force: true });
  const vite = spawnSync(process.execPath, [
    join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', quiet ? 'error' : 'info',
    '--outDir', join(outDir, 'client'), '--emptyOutDir',
  ], {
    cwd: root,
    stdio: 'inherit',
    env: commit ? { ...process.env, OMBUD_BUILD_COMMIT: commit } : process.env,
  });
  if (vite.status !== 0) throw new Error(`vite build failed (exit ${vite.status ?? vite.signal})`);

  if (clientOnly) return Date.now() - started;

  const out = join(outDir, 'server');
  rmSync(out, { recursive: true, force: true });
  await esbuild({
    absWorkingDir: root,
    entryPoints: { main: 'server/main.ts', ombud: 'server/cli/ombud.ts' },
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'error',
  });
  mkdirSync(join(out, 'migrations'));
  for (const name of readdirSync(join(root, 'db/migrations'))) {
    if (name.endsWith('.sql')) cpSync(join(root, 'db/migrations', name), join(out, 'migrations', name));
  }
  writeFileSync(join(outDir, '.build-stamp'), `${new Date().toISOString()}\n`);
  return Date.now() - started;
}

/**
 * The worker pages alone (report, status, info) for an independent static
 * host that calls the API at `apiOrigin` across origins (OMBUD_WORKER_ORIGIN
 * on the API server): `npm run build -- --worker-origin-build DIR --api-origin
 * URL`. DIR/.well-known/ombud/worker-headers.json lists the headers (CSP
 * included) that host must send; docs/operating.md shows how.
 */
export function buildWorkerOrigin({ outDir, apiOrigin, quiet = true }) {
  let origin;
  try {
    origin = new URL(apiOrigin);
  } catch {
    throw new Error(`--api-origin: "${apiOrigin}" is not an address like https://speakup.example.org`);
  }
  if ((origin.protocol !== 'https:' && origin.protocol !== 'http:') || origin.pathname !== '/' || origin.search || origin.hash) {
    throw new Error(`--api-origin: "${apiOrigin}" must be scheme://host[:port] without a path`);
  }
  const vite = spawnSync(process.execPath, [
    join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', quiet ? 'error' : 'info', '--outDir', outDir, '--emptyOutDir',
  ], { cwd: root, stdio: 'inherit', env: { ...process.env, OMBUD_WORKER_API_ORIGIN: origin.origin } });
  if (vite.status !== 0) throw new Error(`vite build failed (exit ${vite.status ?? vite.signal})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--worker-origin-build')) {
  const value = (flag) => {
    const at = process.argv.indexOf(flag);
    const given = at > 0 ? process.argv[at + 1] : undefined;
    if (!given || given.startsWith('--')) {
      console.error(`usage: npm run build -- --worker-origin-build DIR --api-origin URL (${flag} is missing)`);
      process.exit(2);
    }
    return given;
  };
  const outDir = resolve(value('--worker-origin-build'));
  const apiOrigin = value('--api-origin');
  try {
    buildWorkerOrigin({ outDir, apiOrigin, quiet: !process.argv.includes('--verbose') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  console.log(`Built the worker pages for a static host in ${outDir}, calling the API at ${new URL(apiOrigin).origin}`);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(root, 'dist');
  const c = process.argv.indexOf('--commit');
  const commit = c > 0 ? process.argv[c + 1] : undefined;
  if (c > 0 && !/^[0-9a-f]{40}$/.test(commit ?? '')) {
    console.error('--commit takes the full 40-hex commit id');
    process.exit(2);
  }
  const clientOnly = process.argv.includes('--client-only');
  const ms = await buildRelease({ quiet: !process.argv.includes('--verbose'), outDir, commit, clientOnly });
  console.log(`Built ${outDir}/client${clientOnly ? '' : ` and ${outDir}/server`} in ${(ms / 1000).toFixed(1)} s`);
}
