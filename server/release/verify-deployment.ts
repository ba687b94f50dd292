/**
 * Checks a running deployment from the outside, as anyone can (an auditor,
 * an NGO, a journalist; docs/verifying.md): fetches its manifest, the
 * manifest's signature, every page address and every file the manifest
 * lists, and compares
 *
 * - the bytes of each answer with the manifest's SHA-256 (pages by their
 *   address: `/r/{slug}` must answer exactly `report.html`);
 * - the CSP and security headers of each answer with the manifest's;
 * - the signature with the release key (one the auditor trusts, or else the
 *   one the deployment serves — said so, because that is the server's word);
 * - the manifest itself with a local reproducible build of the claimed
 *   commit, when one is given: every file, the CSP, the headers, the entry
 *   points.
 *
 * It returns one line per difference; none means the deployment served this
 * client, signed by that key, to this request. It cannot see what the server
 * sends to someone else (docs/threat-model.md).
 */
import {
  cspFor, MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, parseManifest, RELEASE_KEY_PATH, type ReleaseManifest,
} from '../../common/release-manifest.ts';
import { verifyManifestSignature } from '../../crypto/release-signature.ts';
import { sha256b64u } from './client-files.ts';

/** Headers WEBCAT refuses on an enrolled app's answers: they can pull in or redirect to code outside the manifest. */
const FORBIDDEN_HEADERS = ['link', 'refresh'];

export interface VerifyDeploymentOptions {
  /** The deployment's address, scheme://host[:port]. */
  url: string;
  /** The manifest of a local reproducible build to compare with (scripts/build.mjs). */
  local?: ReleaseManifest;
  /** The release public key the auditor trusts (armored); without it, the key the deployment serves is used, and said. */
  releaseKey?: string;
  /** The channel slug to fetch `/r/{slug}` with (any slug answers the same page). */
  slug?: string;
  fetch?: typeof fetch;
  /** Requests at once. */
  concurrency?: number;
}

export interface VerifyDeploymentResult {
  /** One line per difference, each starting with the path it is about. */
  problems: string[];
  /** Informational lines (what was checked against what). */
  notes: string[];
  /** How many answers were fetched and compared. */
  fetched: number;
  manifest?: ReleaseManifest;
  signedBy?: string;
}

interface Answer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The differences between the headers of `answer` (fetched at `path`) and the manifest's. */
function headerDifferences(manifest: ReleaseManifest, path: string, answer: Answer): string[] {
  const problems: string[] = [];
  const csp = answer.headers.get('content-security-policy');
  const expected = cspFor(manifest, path);
  if (csp !== expected) problems.push(`${path}: Content-Security-Policy is ${JSON.stringify(csp)}, the manifest says ${JSON.stringify(expected)}`);
  for (const [name, value] of Object.entries(manifest.headers)) {
    const got = answer.headers.get(name);
    if (got !== value) problems.push(`${path}: header ${name} is ${JSON.stringify(got)}, the manifest says ${JSON.stringify(value)}`);
  }
  for (const name of FORBIDDEN_HEADERS) {
    if (answer.headers.has(name)) problems.push(`${path}: header ${name} is sent (${JSON.stringify(answer.headers.get(name))}); an app pinned by its manifest sends none`);
  }
  return problems;
}

/** Differences between the deployment's manifest and the local build's, one line each. */
export function compareManifests(served: ReleaseManifest, local: ReleaseManifest): string[] {
  const problems: string[] = [];
  if (served.commit !== local.commit) problems.push(`${MANIFEST_PATH}: commit ${served.commit}, the local build is of ${local.commit}`);
  if (served.version !== local.version) problems.push(`${MANIFEST_PATH}: version ${served.version}, the local build is ${local.version}`);
  if (served.default_csp !== local.default_csp) problems.push(`${MANIFEST_PATH}: default_csp ${JSON.stringify(served.default_csp)}, the local build says ${JSON.stringify(local.default_csp)}`);
  for (const key of ['extra_csp', 'headers', 'entry_points', 'default_index', 'wasm'] as const) {
    if (JSON.stringify(served[key]) !== JSON.stringify(local[key])) {
      problems.push(`${MANIFEST_PATH}: ${key} ${JSON.stringify(served[key])}, the local build says ${JSON.stringify(local[key])}`);
    }
  }
  for (const path of Object.keys(local.files).sort()) {
    if (!(path in served.files)) problems.push(`${path}: in the local build, missing from the deployment's manifest`);
    else if (served.files[path] !== local.files[path]) problems.push(`${path}: the deployment's manifest says SHA-256 ${served.files[path]}, the local build has ${local.files[path]}`);
  }
  for (const path of Object.keys(served.files).sort()) {
    if (!(path in local.files)) problems.push(`${path}: in the deployment's manifest, not in the local build`);
  }
  return problems;
}

export async function verifyDeployment(opts: VerifyDeploymentOptions): Promise<VerifyDeploymentResult> {
  const base = new URL(opts.url).origin;
  const doFetch = opts.fetch ?? fetch;
  const problems: string[] = [];
  const notes: string[] = [];
  let fetched = 0;
  const get = async (path: string): Promise<Answer> => {
    const res = await doFetch(`${base}${path}`, { redirect: 'manual', cache: 'no-store', headers: { 'accept-encoding': 'identity' } });
    fetched += 1;
    return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  let manifestAnswer: Answer;
  try {
    manifestAnswer = await get(MANIFEST_PATH);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { problems: [`${base}: unreachable (${cause?.code ?? cause?.message ?? (error as Error).message})`], notes, fetched };
  }
  if (manifestAnswer.status !== 200) return { problems: [`${MANIFEST_PATH}: HTTP ${manifestAnswer.status}, no manifest`], notes, fetched };
  let manifest: ReleaseManifest;
  try {
    manifest = parseManifest(new TextDecoder('utf-8', { fatal: true }).decode(manifestAnswer.bytes));
  } catch (error) {
    return { problems: [`${MANIFEST_PATH}: ${(error as Error).message}`], notes, fetched };
  }
  problems.push(...headerDifferences(manifest, MANIFEST_PATH, manifestAnswer));

  // The signature, by the key the auditor trusts, or else by the deployment's own (its word only).
  const [signature, servedKey] = await Promise.all([get(MANIFEST_SIGNATURE_PATH), get(RELEASE_KEY_PATH)]);
  let key = opts.releaseKey;
  if (key === undefined) {
    if (servedKey.status === 200) {
      key = new TextDecoder().decode(servedKey.bytes);
      notes.push(`the signature was checked against the release key the deployment itself serves at ${RELEASE_KEY_PATH}: pass --release-key with a copy you trust`);
    } else {
      problems.push(`${RELEASE_KEY_PATH}: HTTP ${servedKey.status}, and no --release-key given: the signature cannot be checked`);
    }
  }
  let signedBy: string | undefined;
  if (signature.status !== 200) {
    problems.push(`${MANIFEST_SIGNATURE_PATH}: HTTP ${signature.status}, the manifest is not signed`);
  } else if (key !== undefined) {
    try {
      signedBy = (await verifyManifestSignature(manifestAnswer.bytes, new TextDecoder().decode(signature.bytes), key)).fingerprint;
      notes.push(`the manifest is signed by release key ${signedBy}`);
    } catch (error) {
      problems.push(`${MANIFEST_SIGNATURE_PATH}: ${(error as Error).message}`);
    }
  }
  if (opts.releaseKey !== undefined && servedKey.status === 200 && signedBy !== undefined) {
    try {
      await verifyManifestSignature(manifestAnswer.bytes, new TextDecoder().decode(signature.bytes), new TextDecoder().decode(servedKey.bytes));
    } catch {
      problems.push(`${RELEASE_KEY_PATH}: the deployment serves another release key than the one given`);
    }
  }

  if (opts.local) problems.push(...compareManifests(manifest, opts.local));

  // Every page address, and every file that is not a page by its own path.
  const slug = opts.slug ?? 'verify';
  const pages = new Set(Object.values(manifest.entry_points).flat());
  const requests: { path: string; accept: string[] }[] = [
    ...Object.entries(manifest.entry_points).map(([address, files]) => ({ path: address.replaceAll('{slug}', slug), accept: files })),
    ...Object.keys(manifest.files).filter((p) => !pages.has(p)).map((p) => ({ path: p, accept: [p] })),
  ];
  const outcomes = await mapLimit(requests, opts.concurrency ?? 6, async ({ path, accept }) => {
    let answer: Answer;
    try {
      answer = await get(path);
    } catch (error) {
      return [`${path}: request failed (${(error as Error).message})`];
    }
    if (answer.status !== 200) return [`${path}: HTTP ${answer.status} (the manifest lists ${accept.join(' or ')})`];
    const found: string[] = [];
    const digest = sha256b64u(answer.bytes);
    const expected = accept.map((file) => manifest.files[file]);
    if (expected.some((d) => d === undefined)) found.push(`${path}: the manifest's entry point names ${accept.filter((f) => !(f in manifest.files)).join(', ')}, which is not in its files`);
    else if (!expected.includes(digest)) {
      found.push(`${path}: SHA-256 ${digest}, the manifest says ${expected.join(' or ')} (${accept.join(' or ')})`);
    }
    found.push(...headerDifferences(manifest, path, answer));
    return found;
  });
  for (const lines of outcomes) problems.push(...lines);
  return { problems, notes, fetched, manifest, signedBy };
}
