/**
 * The benchmark's servers run as child processes, so that the load generator
 * never shares their event loop. Each prints one JSON line when it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProbeReading } from './probe.ts';

export interface Child<Info> {
  info: Info;
  process: ChildProcess;
  /** The child's CPU time, requests answered and memory, over the IPC channel (bench/probe.ts). */
  probe(): Promise<ProbeReading>;
  stop(): Promise<void>;
}

/** Starts `tsx <script>` (node flags first, e.g. --cpu-prof) and waits for its one JSON line. */
export async function startChild<Info>(script: string, args: string[] = [], nodeFlags: string[] = []): Promise<Child<Info>> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let probes = 0;
  const info = await new Promise<Info>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Info));
  });
  return {
    info,
    process: child,
    probe: () =>
      new Promise<ProbeReading>((resolve, reject) => {
        const id = ++probes;
        const timer = setTimeout(() => reject(new Error(`${script}: no answer to probe ${id}`)), 5000);
        const onMessage = (message: { type?: string; id?: number; reading?: ProbeReading }) => {
          if (message?.type !== 'probe' || message.id !== id) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(message.reading!);
        };
        child.on('message', onMessage);
        child.send({ type: 'probe', id });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
