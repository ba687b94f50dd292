/**
 * Starts the real entry point in a child process: first start with an empty
 * data directory prints a setup link and the listening address, creates the
 * server secret with mode 0600, serves, and stops cleanly on SIGTERM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function waitFor(output: () => string, pattern: RegExp, ms = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const match = pattern.exec(output());
      if (match) {
        clearInterval(poll);
        resolve(match);
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output()}`));
      }
    }, 50);
  });
}

describe('server/main.ts', () => {
  it('prints a setup link on first start, serves, and stops on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ombud-main-'));
    const env = { PATH: process.env.PATH, OMBUD_DATA_DIR: dir, OMBUD_PORT: '0', OMBUD_PUBLIC_URL: 'https://speakup.example' };
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));

    const [, token] = await waitFor(() => out, /https:\/\/speakup\.example\/setup#([A-Za-z0-9_-]{43})/);
    const [, port] = await waitFor(() => out, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
    expect(token).toBeDefined();
    const secret = statSync(join(dir, 'server-secret'));
    expect(secret.mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'server-secret')).length).toBe(32);
    expect(statSync(join(dir, 'ombud.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ombud.db-wal')).mode & 0o777).toBe(0o600);

    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toEqual({ ok: true });
    const setup = await fetch(`http://127.0.0.1:${port}/api/setup`);
    expect((await setup.json()).needed).toBe(true);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).not.toMatch(/GET|POST|\/api\/health/); // no request logging
  });
});
