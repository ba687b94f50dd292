/**
 * The benchmark's servers run as child processes, so that the load generator
 * never shares their event loop. Each prints one JSON line when it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child<Info> {
  info: Info;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `tsx <script>` (node flags first, e.g. --cpu-prof) and waits for its one JSON line. */
export async function startChild<Info>(script: string, args: string[] = [], nodeFlags: string[] = []): Promise<Child<Info>> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<Info>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Info));
  });
  return {
    info,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
