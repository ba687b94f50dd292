/**
 * Before the server listens: the client folder it is about to serve must be
 * exactly the one its manifest describes, the manifest must promise the
 * headers this server sends, and — when a release key is configured — the
 * manifest must carry a valid signature by it. Otherwise the server does not
 * start, and says which file differs.
 *
 * This catches an operator's mistake (a half-copied upgrade, a hand-edited
 * asset, a stale manifest) before a worker loads the page. It is no defence
 * against a hostile operator, who can change the server too: that is what
 * `ombud verify-deployment`, run by someone else, is for (docs/verifying.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DEFAULT_CSP, ENTRY_POINTS, MANIFEST_SIGNATURE_PATH, STATIC_HEADERS, type ReleaseManifest,
} from '../../common/release-manifest.ts';
import { verifyManifestSignature } from '../../crypto/release-signature.ts';
import type { AppConfig } from '../config.ts';
import { compareFiles, hashClientFiles, readClientManifest } from './client-files.ts';

export class ClientReleaseError extends Error {
  override name = 'ClientReleaseError';
  constructor(readonly problems: readonly string[], clientDir: string) {
    super(`the client in ${clientDir} does not match its manifest:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export interface ClientRelease {
  /** The client folder has no pages at all: nothing is served (pages answer 503), nothing to check. */
  built: boolean;
  manifest?: ReleaseManifest;
  /** The release key's fingerprint when the signature was checked; undefined: unsigned (no release key configured). */
  signedBy?: string;
}

/**
 * Each gzip copy the build wrote (`x.gz`, sent in place of `x` to a browser that takes gzip:
 * ../pages/precompressed.ts) must decode to exactly `x`. A stale copy (a page replaced by hand, its
 * `.gz` left behind) would give browsers the old file under the new one's name; the manifest's hashes
 * cannot tell, when both were re-hashed.
 */
export function gzipCopyDifferences(dir: string, paths: readonly string[]): string[] {
  const listed = new Set(paths);
  const problems: string[] = [];
  for (const path of paths.filter((p) => p.endsWith('.gz')).sort()) {
    const original = path.slice(0, -'.gz'.length);
    if (!listed.has(original)) {
      problems.push(`${path}: a gzip copy of ${original}, which is not there`);
      continue;
    }
    let decoded: Buffer | undefined;
    try {
      decoded = gunzipSync(readFileSync(join(dir, path)));
    } catch {
      decoded = undefined;
    }
    if (!decoded?.equals(readFileSync(join(dir, original)))) {
      problems.push(`${path}: does not decode to ${original} (browsers that take gzip would get it in that file’s place)`);
    }
  }
  return problems;
}

/** The lines where the manifest's promises differ from what this server sends. */
export function servingDifferences(manifest: ReleaseManifest): string[] {
  const problems: string[] = [];
  if (manifest.default_csp !== DEFAULT_CSP) {
    problems.push(`default_csp: the manifest says "${manifest.default_csp}" but this server sends "${DEFAULT_CSP}"`);
  }
  for (const prefix of Object.keys(manifest.extra_csp)) problems.push(`extra_csp ${prefix}: this server sends no other CSP there`);
  const names = new Set([...Object.keys(manifest.headers), ...Object.keys(STATIC_HEADERS)]);
  for (const name of [...names].sort()) {
    if (manifest.headers[name] !== STATIC_HEADERS[name]) {
      problems.push(`header ${name}: the manifest says ${JSON.stringify(manifest.headers[name] ?? null)} but this server sends ${JSON.stringify(STATIC_HEADERS[name] ?? null)}`);
    }
  }
  if (JSON.stringify(manifest.entry_points) !== JSON.stringify(Object.fromEntries(Object.keys(ENTRY_POINTS).sort().map((k) => [k, ENTRY_POINTS[k]])))) {
    problems.push('entry_points: the manifest maps page addresses to other files than this server does');
  }
  return problems;
}

export async function checkClientRelease(config: Pick<AppConfig, 'clientDir' | 'releaseKeyFile'>): Promise<ClientRelease> {
  const dir = config.clientDir;
  if (!existsSync(join(dir, 'index.html'))) return { built: false };
  let read: ReturnType<typeof readClientManifest>;
  try {
    read = readClientManifest(dir);
  } catch (error) {
    throw new ClientReleaseError([(error as Error).message], dir);
  }
  const { manifest, bytes } = read;
  const files = hashClientFiles(dir);
  const problems = [...compareFiles(files, manifest.files), ...gzipCopyDifferences(dir, Object.keys(files)), ...servingDifferences(manifest)];
  let signedBy: string | undefined;
  if (config.releaseKeyFile !== undefined) {
    const signatureFile = join(dir, MANIFEST_SIGNATURE_PATH);
    if (!existsSync(config.releaseKeyFile)) {
      problems.push(`${config.releaseKeyFile}: the release key file (OMBUD_RELEASE_KEY_FILE) is missing`);
    } else if (!existsSync(signatureFile)) {
      problems.push(`${MANIFEST_SIGNATURE_PATH}: missing; a release key is configured, so the manifest must be signed (npm run ombud -- sign-manifest)`);
    } else {
      try {
        signedBy = (await verifyManifestSignature(bytes, readFileSync(signatureFile, 'utf8'), readFileSync(config.releaseKeyFile, 'utf8'))).fingerprint;
      } catch (error) {
        problems.push(`${MANIFEST_SIGNATURE_PATH}: ${(error as Error).message}`);
      }
    }
  }
  if (problems.length > 0) throw new ClientReleaseError(problems, dir);
  return { built: true, manifest, signedBy };
}
