/**
 * What the workspace's service worker (./sw.ts) and the team page
 * (./register.ts) say to each other, and the one place the pinning rules
 * live as pure functions (tested in Node: ./protocol.test.ts).
 *
 * The service worker serves the workspace's code only from its own cache,
 * filled with the files of a manifest signed by the release key it was set
 * up with (`/.well-known/ombud/`). A later manifest is taken only when its
 * signature verifies with that same pinned key and every file it lists has
 * the hash it says; otherwise the old code keeps running and the page shows
 * a warning (`data-trust-refusal="release-signature"`).
 */
import { RELEASE_KEY_PATH, MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, WELL_KNOWN_DIR } from '../../../common/release-manifest.ts';

export const SW_URL = '/team-sw.js';
/** Only the workspace's own address: the worker pages (/r/…, /status, /info) are never in scope. */
export const SW_SCOPE = '/team';
/** The workspace page's file in the manifest, served at SW_SCOPE. */
export const WORKSPACE_FILE = '/team.html';
/** The cache that holds the pin (the release key) and which version runs. */
export const STATE_CACHE = 'ombud-pin-state';
export const STATE_URL = '/__ombud-pin/state';
export const CODE_CACHE_PREFIX = 'ombud-code-';

export { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, RELEASE_KEY_PATH };

export interface PinState {
  /** The release public key (armored) the workspace was set up with, and its fingerprint. */
  releaseKey: string;
  fingerprint: string;
  /** The manifest whose files are served now: its SHA-256 (base64url) and version. */
  manifestDigest: string;
  version: string;
  /** A newer manifest + signature that failed the check, so its files are not fetched again and again (both digests). */
  refusedDigest?: string;
  refusedReason?: string;
}

export type FromPage = { type: 'check' };
export type FromWorker =
  | { type: 'state'; version: string; fingerprint: string; refused: string | null }
  | { type: 'updated'; version: string }
  | { type: 'refused'; reason: string };

/** The manifest's file that answers a request for `pathname`, or undefined when the request is not the workspace's code. */
export function servedFile(pathname: string, files: Readonly<Record<string, string>>, entryPoints: Readonly<Record<string, readonly string[]>>): string | undefined {
  if (pathname === SW_SCOPE || pathname === `${SW_SCOPE}/`) return entryPoints[SW_SCOPE]?.includes(WORKSPACE_FILE) ? WORKSPACE_FILE : undefined;
  return Object.hasOwn(files, pathname) ? pathname : undefined;
}

/** Requests the worker leaves to the network: the API and the manifest files themselves. */
export function passesThrough(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname === '/api' || pathname.startsWith(`${WELL_KNOWN_DIR}/`);
}

/**
 * The files the service worker keeps for the workspace: its own page and every other file but the other
 * pages and the worker pages' recorded prompts (thousands of small sound files a workspace never plays;
 * still listed, and so still checked, by the signed manifest and `ombud verify-deployment`).
 */
export function keptForWorkspace(path: string): boolean {
  if (path.endsWith('.html')) return path === WORKSPACE_FILE;
  return !path.startsWith('/assets/prompts/') && !/^\/listen-[^/]+\.json$/.test(path);
}
