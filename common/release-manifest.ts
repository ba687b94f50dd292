/**
 * The client manifest: what a deployment's browser code is, byte for byte,
 * and how it must be served. The build writes it to
 * `dist/client/.well-known/ombud/manifest.json`; the release key signs its
 * exact bytes (`manifest.json.asc`); the server refuses to start when its
 * files differ; `ombud verify-deployment` and the workspace's service worker
 * check a running deployment against it (docs/verifying.md).
 *
 * The shape follows WEBCAT's manifest (Freedom of the Press Foundation's
 * signed-web-app manifest) where it fits: `version`, `default_csp`,
 * `extra_csp`, `default_index`, `files` (path → SHA-256, base64url without
 * padding, as WEBCAT encodes it), `wasm`. Ombud adds `app_name`, `commit`, `headers`
 * (the other security headers every static answer carries) and
 * `entry_points` (which file answers which page address).
 *
 * Isomorphic: the server, the build, the CLI and the browser read it.
 */
import { z } from 'zod';
import { REPORT_EARLY_FORM_SCRIPT_CSP, REPORT_EARLY_SCRIPT_CSP, REPORT_EARLY_STYLE_CSP } from './report-early-script.ts';

export const WELL_KNOWN_DIR = '/.well-known/ombud';
export const MANIFEST_PATH = `${WELL_KNOWN_DIR}/manifest.json`;
export const MANIFEST_SIGNATURE_PATH = `${WELL_KNOWN_DIR}/manifest.json.asc`;
export const RELEASE_KEY_PATH = `${WELL_KNOWN_DIR}/release-key.asc`;

/**
 * The Content-Security-Policy of every page and static file (and of the API's
 * answers). No eval; the only inline code is the report page's, each allowed
 * by its hash (./report-early-script.ts): two scripts (its early requests and
 * its early form) and one stylesheet (its first screen);
 * `wasm-unsafe-eval` because Argon2 and SHA-256 (hash-wasm) run as WebAssembly.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'", REPORT_EARLY_SCRIPT_CSP, REPORT_EARLY_FORM_SCRIPT_CSP],
  'style-src': ["'self'", REPORT_EARLY_STYLE_CSP],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
});

/** `name value;name value`: the serialisation the server sends, byte for byte. */
export function serializeCsp(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives).map(([name, values]) => [name, ...values].join(' ')).join(';');
}

export const DEFAULT_CSP = serializeCsp(CSP_DIRECTIVES);

/** Features no page needs are off; the microphone stays ours (a worker may record a voice message). */
export const PERMISSIONS_POLICY = 'camera=(), geolocation=(), payment=(), usb=(), microphone=(self)';

/**
 * Every other security header a page or static file is served with, lowercase
 * names, exact values. Strict-Transport-Security is left out: it depends on
 * the deployment's scheme (sent only over https), not on the release.
 */
export const STATIC_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'permissions-policy': PERMISSIONS_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/**
 * Page address → the built file that answers it. `{slug}` stands for any
 * channel slug. `/` and `/team` answer with `pending.html` until the first
 * administrator exists (first-run setup), so both files are listed, the
 * usual one first.
 */
export const ENTRY_POINTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '/': ['/index.html', '/pending.html'],
  '/info': ['/info.html'],
  '/join': ['/join.html'],
  '/poster': ['/poster.html'],
  '/r/{slug}': ['/report.html'],
  '/r/{slug}/info': ['/info.html'],
  '/recover': ['/recover.html'],
  '/setup': ['/setup.html'],
  '/status': ['/status.html'],
  '/team': ['/team.html', '/pending.html'],
});

const sha256b64u = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a SHA-256 digest in base64url without padding');
const servedPath = z.string().regex(/^\/[A-Za-z0-9._~/-]+$/, 'a served path starting with /').refine((p) => !p.split('/').includes('..'), 'no ..');

export const ReleaseManifest = z.strictObject({
  app_name: z.literal('ombud'),
  version: z.string().min(1).max(64),
  /** The git commit the client was built from (`-dirty` if the tree had uncommitted changes; `unknown` outside git). */
  commit: z.string().regex(/^([0-9a-f]{40}(-dirty)?|unknown)$/),
  default_csp: z.string().min(1),
  /** Served-path prefix → CSP, for answers whose policy differs from `default_csp` (none today). */
  extra_csp: z.record(z.string().startsWith('/'), z.string().min(1)),
  default_index: z.string().min(1),
  headers: z.record(z.string().regex(/^[a-z0-9-]+$/), z.string()),
  entry_points: z.record(z.string().startsWith('/'), z.array(servedPath).min(1)),
  files: z.record(servedPath, sha256b64u),
  /**
   * WEBCAT's list of the WebAssembly modules the code may compile (SHA-256,
   * base64url, sorted): the modules embedded as base64 in the scripts
   * (Argon2, BLAKE2b, SHA-256 of hash-wasm; openpgp.js's) and any `.wasm` file.
   */
  wasm: z.array(sha256b64u),
});
export type ReleaseManifest = z.infer<typeof ReleaseManifest>;

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * The manifest's bytes: keys sorted at every level (code-unit order), two
 * spaces, a final newline. The same manifest always gives the same bytes, so
 * two builds of one commit are identical and the signature is over them.
 */
export function serializeManifest(manifest: ReleaseManifest): string {
  return `${JSON.stringify(sortDeep(manifest), null, 2)}\n`;
}

/** Parses manifest bytes (text); throws a plain Error naming the first problem. */
export function parseManifest(text: string): ReleaseManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the manifest is not JSON');
  }
  const parsed = ReleaseManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the manifest is not an Ombud manifest: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The CSP the manifest requires for a served path: the longest matching `extra_csp` prefix, else `default_csp`. */
export function cspFor(manifest: Pick<ReleaseManifest, 'default_csp' | 'extra_csp'>, path: string): string {
  const prefix = Object.keys(manifest.extra_csp).filter((p) => path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? manifest.default_csp : manifest.extra_csp[prefix]!;
}
