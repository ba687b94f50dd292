/**
 * What every command of the operator's tool shares: where it prints, its
 * exit codes, its view of the configuration, and writing a file so that it
 * is either whole or absent.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
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
  /** OMBUD_BACKUP_PASSPHRASE, when set: the passphrase of backups (`--passphrase-file` wins). */
  backupPassphrase?: string | undefined;
}

/**
 * Text from a file (a backup's header, a database's object names) made safe
 * to print on a terminal: control characters (C0, DEL, C1 — the start of
 * every escape sequence), bidirectional overrides and other invisible format
 * characters become `?`, and it is cut at `max` characters.
 */
export function printable(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * The backup passphrase: the first line of `--passphrase-file FILE` (one
 * trailing newline dropped), else OMBUD_BACKUP_PASSPHRASE; undefined when
 * neither is given. Never prompted for (the tool runs from cron and tests).
 */
export function readPassphrase(file: string | undefined, env: CliEnv): string | undefined {
  if (file !== undefined) {
    if (!existsSync(file)) throw new UsageError(`the passphrase file ${file} does not exist`);
    const text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (text.length === 0 || /[\r\n]/.test(text)) throw new UsageError(`the passphrase file ${file} must hold one line: the passphrase`);
    return text;
  }
  return env.backupPassphrase;
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
  fsyncPath(dirname(path));
}

/** Flushes a file or folder (its entries) to the disk: open, fsync, close. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
