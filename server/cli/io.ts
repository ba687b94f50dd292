/**
 * What every command of the operator's tool shares: where it prints, its
 * exit codes, its view of the configuration, and writing a file so that it
 * is either whole or absent.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { randomBytes } from 'node:crypto';

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes of every command (documented in `npm run ombud -- --help`). */
export const EXIT = {
  ok: 0,
  /** The command ran and refused, or found a problem (unhealthy, a broken chain, a bad backup file). */
  failed: 1,
  /** Wrong usage, bad configuration, or a database that cannot be read. */
  usage: 2,
} as const;

/** The configuration a command needs (from server/config.ts loadConfig, like server/main.ts). */
export interface CliEnv {
  dataDir: string;
  publicUrl: string;
  now(): number;
}

/** The database's name in the data folder (as server/main.ts DATABASE_FILE, which cannot be imported without starting a server). */
export const DATABASE_FILE = 'ombud.db';
export const databasePath = (dataDir: string) => join(dataDir, DATABASE_FILE);

export class UsageError extends Error {
  override name = 'UsageError';
}

/** node:util parseArgs, strict, with errors that end in "try --help". */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (try --help)`);
  }
}

/**
 * Writes a new file through `write(fd)`: to a temporary name beside it,
 * fsynced, renamed over the final name, and the folder fsynced, with `mode`.
 * On any error the temporary file is removed and nothing is at `path`.
 */
export function writeFileAtomically(path: string, mode: number, write: (fd: number) => void): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    write(fd);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw error;
  }
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
