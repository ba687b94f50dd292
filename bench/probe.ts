/**
 * The bench-only window into a server child: over the IPC channel its parent
 * (bench/child.ts) opened — never an HTTP route — the child answers a probe
 * with its own CPU time (process.cpuUsage(), user + system, µs, and the
 * system part alone), how many HTTP requests it has answered (responses
 * finished), how many read and write system calls the kernel has counted
 * for it (syscr + syscw in /proc/self/io: files and sockets alike), and its
 * resident memory (VmRSS and the peak VmHWM from /proc/self/status, KiB).
 *
 * Over the same channel the bench can start and stop a V8 CPU profile of the
 * server (node:inspector), so that `--profile` covers the measured intake
 * rounds only, not the making of the bodies or the status run.
 *
 * A server started without an IPC channel (not by the bench) installs nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Server } from 'node:http';
import type { CpuReading } from '../scripts/bench/report.ts';

/** The reading the bench's figures are made of (scripts/bench/report.ts), every counter present, and memory. */
export interface ProbeReading extends Required<CpuReading> {
  rssKib: number | null;
  hwmKib: number | null;
}

/** Read and write system calls so far (syscr + syscw), or null where /proc/self/io cannot be read. */
function ioCalls(): number | null {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    const reads = /^syscr:\s+(\d+)$/m.exec(io)?.[1];
    const writes = /^syscw:\s+(\d+)$/m.exec(io)?.[1];
    return reads !== undefined && writes !== undefined ? Number(reads) + Number(writes) : null;
  } catch {
    return null;
  }
}

function statusKib(field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function installProbe(server: Server): void {
  if (!process.send) return;
  let answered = 0;
  server.on('request', (_req, res) => res.once('finish', () => answered++));
  let profiler: Session | undefined;
  process.on('message', async (message: { type?: string; id?: number; path?: string }) => {
    if (message?.type === 'profile-start' || message?.type === 'profile-stop') {
      try {
        if (message.type === 'profile-start') {
          profiler = new Session();
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        } else {
          if (!profiler || !message.path) throw new Error('no profile is running');
          const { profile } = await profiler.post('Profiler.stop');
          writeFileSync(message.path, JSON.stringify(profile));
          profiler.disconnect();
          profiler = undefined;
        }
        process.send!({ type: message.type, id: message.id });
      } catch (error) {
        process.send!({ type: message.type, id: message.id, error: String(error) });
      }
      return;
    }
    if (message?.type !== 'probe') return;
    const cpu = process.cpuUsage();
    const reading: ProbeReading = {
      cpuUs: cpu.user + cpu.system, systemUs: cpu.system, answered, ioCalls: ioCalls(),
      rssKib: statusKib('VmRSS'), hwmKib: statusKib('VmHWM'),
    };
    process.send!({ type: 'probe', id: message.id, reading });
  });
  // The IPC channel would keep the event loop alive after the server closes.
  process.channel?.unref();
}
