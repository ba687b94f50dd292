/**
 * The release build runs with the runtime dependencies only.
 *
 * `npm run build` (scripts/build.mjs), then dist/, package.json and the lock
 * file are copied to an empty folder whose node_modules holds only the
 * packages `npm ci --omit=dev` would install (those of the lock file not
 * marked dev), as symlinks into the installed tree. `node
 * --preserve-symlinks dist/server/main.js` resolves every import inside that
 * folder, so a devDependency the server needed (tsx, vite, …) would fail
 * here. It starts, prints its version, data folder and setup link, and
 * answers /api/health; the compiled operator's tool runs too.
 *
 * (A real `npm ci --omit=dev` compiles better-sqlite3, about a minute on
 * two cores; the README's install check does that by hand.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = process.cwd();
let dir: string;
let child: ChildProcess | undefined;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-release-'));
  // Built straight into the temporary folder: the repository's dist/ may be serving a journey right now.
  execFileSync(process.execPath, ['scripts/build.mjs', '--out', join(dir, 'dist')], { cwd: root, stdio: 'pipe' });
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(root, f), join(dir, f));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const modules = realpathSync(join(root, 'node_modules'));
  // Top-level runtime packages; nested ones (node_modules/a/node_modules/b) come inside their parent.
  for (const [path, info] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || info.dev || path.slice(13).includes('node_modules/')) continue;
    const name = path.slice('node_modules/'.length);
    if (!existsSync(join(modules, name))) continue; // an optional package for another platform
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(join(modules, name), join(dir, path));
  }
}, 120_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the release build', () => {
  it('has no devDependency among the packages it installs', () => {
    for (const dev of ['tsx', 'vite', 'esbuild', 'vitest', 'typescript']) expect(existsSync(join(dir, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'better-sqlite3'))).toBe(true);
  });

  it('starts with plain node and runtime dependencies only, says where, and serves', async () => {
    const data = join(dir, 'data');
    const env = { PATH: process.env.PATH, OMBUD_DATA_DIR: data, OMBUD_PORT: '0', OMBUD_PUBLIC_URL: 'https://speakup.example' };
    child = spawn(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', 'dist/server/main.js'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const started = Date.now();
    while (!/listening on http:\/\/127\.0\.0\.1:(\d+)/.test(out)) {
      if (child.exitCode !== null || Date.now() - started > 20_000) throw new Error(`did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1];
    expect(out).toContain(`Ombud ${pkg.version} on Node ${process.versions.node}; data folder ${data}`);
    expect(out).toMatch(/https:\/\/speakup\.example\/setup#[A-Za-z0-9_-]{43}/);
    expect(out.trim().split('\n').length).toBeLessThan(20);
    expect(await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()).toEqual({ ok: true });
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(await home.text()).toContain('data-setup-pending');
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const tool = execFileSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', 'dist/server/ombud.js', 'health', '--json', '--min-free-mb', '0'], { cwd: dir, env, encoding: 'utf8' });
    expect(JSON.parse(tool)).toMatchObject({ healthy: true });
  });
});
