/**
 * `npm run ombud -- verify-deployment URL [--build DIR | --commit SHA]
 * [--release-key FILE] [--slug SLUG]`: checks a running deployment against
 * its signed manifest and a local reproducible build (server/release/
 * verify-deployment.ts; docs/verifying.md). Needs no data folder and no
 * configuration: anyone can run it from anywhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ReleaseManifest } from '../../common/release-manifest.ts';
import { hashClientFiles, readClientManifest, compareFiles } from '../release/client-files.ts';
import { verifyDeployment } from '../release/verify-deployment.ts';
import { EXIT, UsageError, type CliOutput } from './io.ts';

export const HELP = `Usage: npm run ombud -- verify-deployment URL [--build DIR | --commit SHA]
                                            [--release-key FILE] [--slug SLUG]

Fetches every page and file of the Ombud at URL and compares them with its
manifest (/.well-known/ombud/manifest.json): the bytes (SHA-256), the
Content-Security-Policy and the other security headers. Checks the
manifest's OpenPGP signature by the release key. With --build or --commit,
also compares the manifest with a local reproducible build: every file, the
CSP, the headers, the page addresses.

  --build DIR         the dist/client of a build you made (npm run build)
  --commit SHA        build that commit here first (an Ombud git checkout with
                      its development packages: git archive + scripts/build.mjs)
  --release-key FILE  the release public key you trust (armored). Without it
                      the key the deployment serves is used, and said so
  --slug SLUG         the channel slug used to fetch /r/SLUG (default: verify)

Prints one line per difference, each starting with the path it is about.
Exit status: 0 everything matches; 1 a difference, or the deployment could
not be reached; 2 wrong usage.
`;

/** Builds commit `sha` of the repository at `repo` in a temporary folder; returns its client manifest. */
export function buildCommit(repo: string, sha: string): ReleaseManifest {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-verify-build-'));
  try {
    const src = join(dir, 'src');
    mkdirSync(src);
    // From the top of the checkout: run from a subfolder, git archive would take only that subfolder.
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: repo, encoding: 'utf8' }).trim();
    const archive = execFileSync('git', ['archive', '--format=tar', sha], { cwd: top, maxBuffer: 512 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', src], { input: archive });
    symlinkSync(realpathSync(join(repo, 'node_modules')), join(src, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build.mjs', '--client-only', '--out', join(dir, 'dist'), '--commit', sha], { cwd: src, stdio: 'pipe' });
    return readClientManifest(join(dir, 'dist', 'client')).manifest;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The manifest of a local client folder, after checking that the folder matches it. */
function localBuild(dir: string): ReleaseManifest {
  const { manifest } = readClientManifest(dir);
  const differences = compareFiles(hashClientFiles(dir), manifest.files, 'its own manifest');
  if (differences.length > 0) throw new UsageError(`--build ${dir} does not match its own manifest (${differences[0]}): rebuild it`);
  return manifest;
}

export async function runVerifyDeployment(args: readonly string[], io: CliOutput, deps: { repo?: string; fetch?: typeof fetch } = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { build: { type: 'string' }, commit: { type: 'string' }, 'release-key': { type: 'string' }, slug: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (try --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('give the deployment\'s address, e.g. verify-deployment https://speakup.example.org (try --help)');
  let url: URL;
  try {
    url = new URL(positionals[0]!);
  } catch {
    throw new UsageError(`${positionals[0]} is not an address like https://speakup.example.org`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('the address must start with https:// or http://');
  if (values.build !== undefined && values.commit !== undefined) throw new UsageError('give --build or --commit, not both');
  if (values.commit !== undefined && !/^[0-9a-f]{40}$/.test(values.commit)) throw new UsageError('--commit takes the full 40-hex commit id');
  if (values.slug !== undefined && !/^[a-z0-9-]{1,64}$/.test(values.slug)) throw new UsageError('--slug takes lowercase letters, digits and dashes');
  let releaseKey: string | undefined;
  if (values['release-key'] !== undefined) {
    if (!existsSync(values['release-key'])) throw new UsageError(`the release key file ${values['release-key']} does not exist`);
    releaseKey = readFileSync(values['release-key'], 'utf8');
  }
  let local: ReleaseManifest | undefined;
  if (values.build !== undefined) local = localBuild(values.build);
  if (values.commit !== undefined) {
    io.err(`Building ${values.commit} locally…`);
    local = buildCommit(deps.repo ?? process.cwd(), values.commit);
  }

  const result = await verifyDeployment({ url: url.origin, local, releaseKey, slug: values.slug, fetch: deps.fetch });
  for (const line of result.problems) io.out(line);
  for (const note of result.notes) io.err(`note: ${note}`);
  if (result.problems.length > 0) {
    io.err(`${result.problems.length} difference(s) between ${url.origin} and ${local ? 'its manifest and the local build' : 'its manifest'}`);
    return EXIT.failed;
  }
  io.err(`OK: ${url.origin} serves ${result.manifest!.version} (${result.manifest!.commit}); ${result.fetched} answers match the signed manifest${local ? ' and the local build' : ''}`);
  return EXIT.ok;
}
