/**
 * The built client on disk, seen as the manifest sees it: every file under
 * the client folder by its served path (`/assets/x.js`), with its SHA-256
 * (base64url, no padding: WEBCAT's encoding). Used by the build (to write
 * the manifest), the server at start (to refuse a folder that differs from
 * its manifest) and `ombud verify-deployment --build` (a local build).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, RELEASE_KEY_PATH, parseManifest, type ReleaseManifest } from '../../common/release-manifest.ts';

/** Files about the manifest, not in it: the manifest itself, its signature, the release key. */
export const NOT_IN_MANIFEST: ReadonlySet<string> = new Set([MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, RELEASE_KEY_PATH]);

export function sha256b64u(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** Served paths of every regular file under `dir` (dotfiles too), sorted, except NOT_IN_MANIFEST. */
export function listClientFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = `${sub}/${name}`;
      const info = statSync(join(dir, rel));
      if (info.isDirectory()) walk(rel);
      else if (!NOT_IN_MANIFEST.has(rel)) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** Served path → SHA-256 of every file of the client folder, in sorted order. */
export function hashClientFiles(dir: string): Record<string, string> {
  return Object.fromEntries(listClientFiles(dir).map((path) => [path, sha256b64u(readFileSync(join(dir, path)))]));
}

/**
 * One line per difference between the files and the manifest's `files`:
 * a file changed, missing, or not in the manifest. Empty when they match.
 */
export function compareFiles(actual: Readonly<Record<string, string>>, expected: Readonly<Record<string, string>>, what = 'the manifest'): string[] {
  const problems: string[] = [];
  for (const path of Object.keys(expected).sort()) {
    if (!(path in actual)) problems.push(`${path}: missing (listed in ${what})`);
    else if (actual[path] !== expected[path]) problems.push(`${path}: SHA-256 ${actual[path]} but ${what} says ${expected[path]}`);
  }
  for (const path of Object.keys(actual).sort()) {
    if (!(path in expected)) problems.push(`${path}: not in ${what}`);
  }
  return problems;
}

/** The manifest of a built client folder, with its exact bytes; throws naming the file if it is missing or malformed. */
export function readClientManifest(dir: string): { manifest: ReleaseManifest; bytes: Buffer } {
  const file = join(dir, MANIFEST_PATH);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the client with npm run build`);
  const bytes = readFileSync(file);
  try {
    return { manifest: parseManifest(bytes.toString('utf8')), bytes };
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
