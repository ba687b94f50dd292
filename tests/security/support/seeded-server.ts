/**
 * The real server process (`server/main.ts`, as `npm start` runs it) on a data
 * folder seeded with two teams straight through the repositories, so that a
 * test can sign in, report and attack without a browser. Unlike
 * tests/support/server.ts it exposes the process: its pid (RSS, SIGKILL) and
 * a restart on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositories, openDatabase } from '../../../db/index.ts';
import { systemClock } from '../../../server/clock.ts';
import { freePort } from '../../support/server.ts';
import { addInvestigator, addTeam, type TestInvestigator, type TestTeam } from '../../../server/testing/organisation.ts';

export const DB_FILE = 'ombud.db';
/** The server process must stay under this resident size whatever it is sent (tests/security/hostile-*.test.ts). */
export const RSS_BOUND_MIB = 512;

export interface Seed {
  dataDir: string;
  /** Runs the deployment (first team). */
  teamA: TestTeam & { member: TestInvestigator };
  teamB: TestTeam & { member: TestInvestigator };
}

export async function seedDataDir(): Promise<Seed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ombud-sec-'));
  const db = openDatabase(join(dataDir, DB_FILE));
  const deps = { repos: createRepositories(db), clock: systemClock };
  const a = await addTeam(deps, { name: 'Brand CSR', channelSlug: 'factory-a', runsDeployment: true });
  const b = await addTeam(deps, { name: 'Supplier committee', channelSlug: 'factory-b', runsDeployment: false });
  const teamA = { ...a, member: await addInvestigator(deps, a.id, { username: 'mei.a' }) };
  const teamB = { ...b, member: await addInvestigator(deps, b.id, { username: 'li.b' }) };
  db.close();
  return { dataDir, teamA, teamB };
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Everything printed to stdout and stderr, over every start. */
  output(): string;
  alive(): boolean;
  /** Resident set size of the server process in MiB (Linux /proc). */
  rssMiB(): number;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then wait. */
  stop(): Promise<void>;
}

const logs = new Map<string, string>();

/** Starts `node --import tsx server/main.ts` on `dataDir` (no tsx wrapper process: the pid is the server's). */
export async function startProcess(dataDir: string, env: Record<string, string> = {}, port?: number): Promise<ServerProcess> {
  const listenPort = port ?? (await freePort());
  const url = `http://127.0.0.1:${listenPort}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '', OMBUD_DATA_DIR: dataDir, OMBUD_PORT: String(listenPort), OMBUD_HOST: '127.0.0.1',
      OMBUD_POW_DIFFICULTY: '4', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer) => logs.set(dataDir, (logs.get(dataDir) ?? '') + chunk.toString('utf8'));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => logs.get(dataDir) ?? '';
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output()}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    output,
    alive: () => child.exitCode === null && child.signalCode === null,
    rssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export function removeSeed(seed: Seed | undefined): void {
  if (seed) rmSync(seed.dataDir, { recursive: true, force: true });
}
