/**
 * Records the listen prompts when the client is built (docs/listening.md):
 * every worker catalog text, and the pieces that say days, counts and the
 * case number, spoken by espeak-ng and encoded as Ogg Opus by opusenc.
 *
 * - Deterministic: the same text and voice give the same bytes (a fixed Ogg
 *   serial number, no padding, no date; libopus itself is deterministic), so
 *   a rebuild reproduces the release byte for byte.
 * - Cached by a hash of what makes the sound (tools' versions, voice,
 *   settings, text): a rebuild synthesizes only texts that changed. The
 *   cache is content-addressed and written by rename, so two builds at once
 *   never read half a file.
 * - Nothing leaves the machine: both programs run locally, from Debian
 *   (scripts/ensure-system-deps.sh).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DIGIT_PIECES,
  LISTEN_MAX_COUNT,
  LISTEN_VOICES,
  allDatePieces,
  countPiece,
  textPieces,
  type Piece,
  type PromptManifest,
} from '../common/listen.ts';

const run = promisify(execFile);

/** espeak-ng's speed (words per minute): a little slower than its default 175, for people who read little. */
const SPEED = 150;
const OPUS = ['--quiet', '--bitrate', '20', '--serial', '1', '--padding', '0', '--discard-comments'];

export interface PromptFile {
  /** Path under the client's output folder, e.g. `assets/prompts/en/3fa2….opus`. */
  fileName: string;
  bytes: Buffer;
}

export interface PromptBuild {
  manifests: Record<string, PromptManifest>;
  files: PromptFile[];
  /** How many clips were synthesized now (not found in the cache). */
  synthesized: number;
}

export interface PromptBuildOptions {
  catalogs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  cacheDir: string;
  /** Clips made at once (the build machine's cores). */
  concurrency?: number;
  /** Tests give a fake synthesizer; the build uses espeak-ng and opusenc. */
  synthesize?: (voice: string, text: string) => Promise<Buffer>;
  toolVersion?: string;
}

/** The programs' versions are part of every clip's hash: a new espeak-ng re-records everything. */
export function toolVersions(): string {
  const espeak = execFileSync('espeak-ng', ['--version'], { encoding: 'utf8' }).trim();
  const opus = execFileSync('opusenc', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  return `${espeak} | ${opus}`;
}

async function espeakOpus(voice: string, text: string): Promise<Buffer> {
  // The text is an argument, never a shell string; `--` keeps a text starting with "-" from being an option.
  const wav = await run('espeak-ng', ['-v', voice, '-s', String(SPEED), '--stdout', '--', text], {
    encoding: 'buffer',
    maxBuffer: 64 << 20,
  });
  return new Promise((resolve, reject) => {
    const child = execFile('opusenc', [...OPUS, '-', '-'], { encoding: 'buffer', maxBuffer: 16 << 20 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin!.end(wav.stdout);
  });
}

/** The pieces one language records: its catalog texts (scope `all`) and the pieces of days, counts, digits. */
export function piecesFor(lang: string, catalog: Readonly<Record<string, string>>): Piece[] {
  const spec = LISTEN_VOICES[lang];
  if (!spec) return [];
  if (spec.scope === 'digits') return [...DIGIT_PIECES];
  const pieces = Object.entries(catalog).flatMap(([key, text]) => textPieces(key, text));
  const counts = Array.from({ length: LISTEN_MAX_COUNT + 1 }, (_, n) => countPiece(lang, n)!);
  return [...pieces, ...allDatePieces(lang), ...counts, ...DIGIT_PIECES];
}

export async function buildPrompts(options: PromptBuildOptions): Promise<PromptBuild> {
  const synthesize = options.synthesize ?? espeakOpus;
  const version = options.toolVersion ?? toolVersions();
  mkdirSync(options.cacheDir, { recursive: true });
  const manifests: Record<string, PromptManifest> = {};
  const files = new Map<string, Buffer>();
  const jobs: Array<() => Promise<void>> = [];
  let synthesized = 0;

  for (const [lang, catalog] of Object.entries(options.catalogs).sort(([a], [b]) => a.localeCompare(b))) {
    const spec = LISTEN_VOICES[lang];
    if (!spec) continue;
    const manifest: PromptManifest = { lang, voice: spec.voice, scope: spec.scope, clips: {} };
    manifests[lang] = manifest;
    for (const piece of piecesFor(lang, catalog)) {
      const hash = createHash('sha256').update(JSON.stringify([version, SPEED, OPUS, spec.voice, piece.text])).digest('hex').slice(0, 24);
      const fileName = `assets/prompts/${lang}/${hash}.opus`;
      manifest.clips[piece.id] = `/${fileName}`;
      if (files.has(fileName)) continue;
      files.set(fileName, Buffer.alloc(0));
      jobs.push(async () => {
        const cached = join(options.cacheDir, `${hash}.opus`);
        if (!existsSync(cached)) {
          const bytes = await synthesize(spec.voice, piece.text);
          const partial = `${cached}.${process.pid}.${hash}.part`;
          writeFileSync(partial, bytes);
          renameSync(partial, cached);
          synthesized += 1;
        }
        files.set(fileName, readFileSync(cached));
      });
    }
  }

  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return {
    manifests,
    files: [...files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([fileName, bytes]) => ({ fileName, bytes })),
    synthesized,
  };
}
