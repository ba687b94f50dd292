/**
 * `npm start`: builds the release (scripts/build.mjs, quietly) only when
 * dist/ is missing or older than the sources, then runs the compiled server
 * `dist/server/main.js` in this process.
 *
 * On a production machine installed with `npm ci --omit=dev` the build tools
 * are absent: it starts the dist/ that is there (built with `npm run build`
 * beforehand), or explains what to do if there is none.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist/.build-stamp');
const SOURCES = ['client', 'common', 'crypto', 'server', 'db', 'package.json', 'package-lock.json', 'vite.config.ts', 'scripts/build.mjs', 'scripts/vite-release.ts'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

const built = existsSync(stamp) && existsSync(join(root, 'dist/server/main.js')) ? statSync(stamp).mtimeMs : 0;
const stale = built === 0 || SOURCES.some((s) => newest(join(root, s)) > built);
if (stale) {
  const canBuild = ['esbuild', 'vite'].every((tool) => existsSync(join(root, 'node_modules', tool, 'package.json')));
  if (canBuild) {
    const { buildRelease } = await import('./build.mjs');
    const ms = await buildRelease();
    console.log(`Built the release into dist/ (${(ms / 1000).toFixed(1)} s)`);
  } else if (built === 0) {
    console.error('dist/ is missing and the build tools are not installed (npm ci --omit=dev).');
    console.error('Run `npm ci && npm run build` (on this or a build machine), then start again.');
    process.exit(1);
  }
}
await import(pathToFileURL(join(root, 'dist/server/main.js')).href);
