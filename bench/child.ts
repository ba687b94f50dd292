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
  /** Starts a V8 CPU profile of the child, or stops it and writes it to `path` (bench/probe.ts). */
  profile(action: 'start'): Promise<void>;
  profile(action: 'stop', path: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `tsx <script>` (node flags first, e.g. --cpu-prof) and waits for its one JSON line;
 * `onMessage` hears the child's IPC messages from the start, before that line.
 */
export async function startChild<Info>(
  script: string, args: string[] = [], nodeFlags: string[] = [], onMessage?: (message: Record<string, unknown>) => void,
): Promise<Child<Info>> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  if (onMessage) child.on('message', onMessage);
  let probes = 0;
  // One question over the IPC channel, answered by a message of the same type and id.
  const ask = <T>(type: string, extra: object, answer: (message: Record<string, unknown>) => T) =>
    new Promise<T>((resolve, reject) => {
      const id = ++probes;
      const timer = setTimeout(() => reject(new Error(`${script}: no answer to ${type} ${id}`)), 30_000);
      const onMessage = (message: Record<string, unknown>) => {
        if (message?.type !== type || message.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        if (typeof message.error === 'string') reject(new Error(`${script}: ${type}: ${message.error}`));
        else resolve(answer(message));
      };
      child.on('message', onMessage);
      child.send({ type, id, ...extra });
    });
  const info = await new Promise<Info>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Info));
  });
  return {
    info,
    process: child,
    probe: () => ask<ProbeReading>('probe', {}, (m) => m.reading as ProbeReading),
    profile: (action: 'start' | 'stop', path?: string) => ask<void>(`profile-${action}`, { path }, () => undefined),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
