/**
 * `npm run ombud -- <command>`: the operator's tool from the TypeScript
 * sources when the development tools are installed (tsx), else the compiled
 * `dist/server/ombud.js` (a production install with `npm ci --omit=dev`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const fromSources = existsSync(join(root, 'node_modules/tsx/package.json'));
const compiled = join(root, 'dist/server/ombud.js');
if (!fromSources && !existsSync(compiled)) {
  console.error('dist/server/ombud.js is missing and tsx is not installed: run `npm ci && npm run build` first.');
  process.exit(2);
}
const run = spawnSync(process.execPath, fromSources ? ['--import', 'tsx', join(root, 'server/cli/ombud.ts'), ...args] : [compiled, ...args], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
