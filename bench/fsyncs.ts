/**
 * Counting a server's fsyncs honestly: `strace -f -c` attached to the server
 * child (every thread) while a fixed load runs, the fsync and fdatasync calls
 * it counted, divided by the requests the server says it answered meanwhile
 * (bench/probe.ts). strace slows the process it traces, so these rounds are
 * separate from the throughput rounds and count calls only, not time.
 */
import { spawn } from 'node:child_process';
import { straceCounts } from '../scripts/bench/report.ts';
import type { Child } from './child.ts';

const CALLS = ['fsync', 'fdatasync'] as const;

export async function fsyncsPerRequest(child: Child<unknown>, work: () => Promise<unknown>): Promise<{ perRequest: number; fsyncs: number; answered: number }> {
  const strace = spawn('strace', ['-f', '-c', '-e', `trace=${CALLS.join(',')}`, '-p', String(child.process.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  strace.stderr.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    strace.once('error', reject);
    strace.once('exit', (code) => reject(new Error(`strace exited with ${code}: ${output}`)));
    strace.stderr.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('attached')) resolve();
    });
  });
  // -f attaches to the threads one by one: let it finish.
  await new Promise((r) => setTimeout(r, 300));
  const before = await child.probe();
  await work();
  const after = await child.probe();
  strace.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => strace.once('exit', () => resolve()));
  strace.kill('SIGINT');
  await exited;
  const counts = straceCounts(output, CALLS);
  const fsyncs = CALLS.reduce((sum, name) => sum + counts[name]!, 0);
  const answered = after.answered - before.answered;
  return { perRequest: answered ? Math.round((fsyncs / answered) * 100) / 100 : NaN, fsyncs, answered };
}
