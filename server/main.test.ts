/**
 * Starts the real entry point in a child process: first start with an empty
 * data directory prints a setup link and the listening address, creates the
 * server secret with mode 0600, serves, and stops cleanly on SIGTERM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadMigrations, openDatabase, schemaVersion } from '../db/index.ts';
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
    expect(out).toMatch(new RegExp(`^Ombud \\d+\\.\\d+\\.\\d+ on Node ${process.versions.node.replace(/\./g, '\\.')}; data folder ${dir}$`, 'm'));
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

  it('backs up before migrating; a migration failing half way is undone, and it refuses to start naming the backup', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ombud-main-'));
    const migrations = loadMigrations();
    const from = migrations.length - 2;
    const db = openDatabase(join(dir, 'ombud.db'), { migrations: migrations.slice(0, from) });
    // A table or index with the name a pending migration gives its own after its first statement: it fails
    // half way. (Not a name the database has already: a migration that rebuilds a table recreates its index.)
    const pending = migrations.slice(from).map((m) => m.sql.replace(/--.*$/gm, '')).join('\n');
    const existing = new Set(db.prepare('SELECT name FROM sqlite_master').pluck().all() as string[]);
    const planted = [...pending.matchAll(/CREATE (TABLE|INDEX) (\w+)/g)]
      .find((m) => m.index > pending.indexOf(';') && !existing.has(m[2]!));
    expect(planted, 'a pending migration creates a new table or index after its first statement').toBeDefined();
    const [, kind, name] = planted!;
    db.exec(kind === 'TABLE' ? `CREATE TABLE ${name} (day TEXT)` : `CREATE TABLE local_extra (day TEXT); CREATE INDEX ${name} ON local_extra (day)`);
    const before = db.prepare('SELECT type, name FROM sqlite_master ORDER BY name').all();
    db.close();
    const env = { PATH: process.env.PATH, OMBUD_DATA_DIR: dir, OMBUD_PORT: '0' };
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child!.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    const backup = readdirSync(dir).find((f) => f.startsWith('ombud.db.pre-upgrade-'));
    expect(backup).toMatch(new RegExp(`^ombud\\.db\\.pre-upgrade-v0*${from}-to-v0*${migrations.length}-\\d{8}T\\d{6}Z$`));
    expect(statSync(join(dir, backup!)).mode & 0o777).toBe(0o600);
    expect(out).toContain(`backup first: ${join(dir, backup!)}`);
    expect(out).toMatch(/Ombud did not start: the database upgrade failed and was undone\. migration \d{3}-[a-z-]+\.sql failed \(.*already exists\)/);
    expect(out).toContain(`The backup made just before is ${join(dir, backup!)}`);
    const after = openDatabase(join(dir, 'ombud.db'), { migrate: false });
    expect(schemaVersion(after)).toBe(from);
    expect(after.prepare('SELECT type, name FROM sqlite_master ORDER BY name').all()).toEqual(before);
    after.close();
  });
});

