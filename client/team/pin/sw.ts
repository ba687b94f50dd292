/**
 * The workspace's service worker (`/team-sw.js`, scope `/team`): it pins the
 * code. Installed on the first sign-in in a browser (./register.ts); never
 * on the worker pages (their scope is not /team and they never register).
 *
 * - Set-up (no pin yet): fetch the release key, the manifest and its
 *   signature; the signature must verify with that key. The key is pinned
 *   (trust on first use; its fingerprint is only on the page element's
 *   `data-pinned-release`, not yet shown: docs/threat-model.md row 50); every file of the manifest that
 *   the workspace needs (its page and every non-HTML file: the other pages
 *   are not in its scope) must have the manifest's SHA-256, then is kept in
 *   a cache of that version.
 * - Serving: /team and every file the manifest lists come from that cache
 *   only; any other request of the page's own origin but /api and
 *   /.well-known is answered 404 (nothing outside the manifest runs).
 * - Updates (the page asks on each load; the browser's own update of this
 *   script runs the same install): a new manifest is taken only when its
 *   signature verifies with the PINNED key (never the key the server serves
 *   now) and every file has its hash; else the old version keeps being
 *   served and the page is told why.
 */
import { parseManifest, type ReleaseManifest } from '../../../common/release-manifest.ts';
import { verifyManifestSignature } from '../../../crypto/release-signature.ts';
import {
  CODE_CACHE_PREFIX, keptForWorkspace, MANIFEST_PATH, SW_SCOPE, WORKSPACE_FILE, MANIFEST_SIGNATURE_PATH, passesThrough, RELEASE_KEY_PATH, servedFile, STATE_CACHE, STATE_URL,
  type FromPage, type FromWorker, type PinState,
} from './protocol.ts';

interface ExtendableEvent extends Event { waitUntil(p: Promise<unknown>): void }
interface FetchEvent extends ExtendableEvent { request: Request; respondWith(r: Promise<Response> | Response): void }
interface MessageEventLike extends ExtendableEvent { data: unknown; source: { postMessage(m: unknown): void } | null }
interface SwGlobal {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
  addEventListener(type: 'message', fn: (e: MessageEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; matchAll(o?: { includeUncontrolled?: boolean }): Promise<Array<{ postMessage(m: unknown): void }>> };
  location: Location;
}
const sw = self as unknown as SwGlobal;

class PinRefusal extends Error {}

const b64u = (bytes: ArrayBuffer): string => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const sha256 = async (bytes: ArrayBuffer | Uint8Array): Promise<string> => b64u(await crypto.subtle.digest('SHA-256', bytes as BufferSource));

async function fetchBytes(path: string): Promise<Uint8Array> {
  const res = await fetch(path, { cache: 'no-store', redirect: 'error', credentials: 'same-origin' });
  if (!res.ok) throw new PinRefusal(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function readState(): Promise<PinState | undefined> {
  const res = await (await caches.open(STATE_CACHE)).match(STATE_URL);
  return res ? (await res.json()) as PinState : undefined;
}

async function writeState(state: PinState): Promise<void> {
  await (await caches.open(STATE_CACHE)).put(STATE_URL, new Response(JSON.stringify(state), { headers: { 'Content-Type': 'application/json' } }));
}

/** Verifies the manifest with `releaseKey` and fills a cache with its files, each checked against its hash. */
async function takeVersion(releaseKey: string, manifestBytes: Uint8Array, signature: string): Promise<{ manifest: ReleaseManifest; digest: string; fingerprint: string }> {
  let fingerprint: string;
  try {
    ({ fingerprint } = await verifyManifestSignature(manifestBytes, signature, releaseKey));
  } catch (error) {
    throw new PinRefusal(`the manifest is not signed by the pinned release key: ${error instanceof Error ? error.message : String(error)}`);
  }
  const manifest = parseManifest(new TextDecoder().decode(manifestBytes));
  const digest = await sha256(manifestBytes);
  const cache = await caches.open(`${CODE_CACHE_PREFIX}${digest}`);
  for (const [path, expected] of Object.entries(manifest.files)) {
    // Pages are served at their addresses, not their file names; the workspace needs only its own.
    if (!keptForWorkspace(path)) continue;
    const bytes = await fetchBytes(path === WORKSPACE_FILE ? SW_SCOPE : path);
    if ((await sha256(bytes)) !== expected) throw new PinRefusal(`${path} does not have the hash its signed manifest lists`);
    const type = path.endsWith('.html') ? 'text/html; charset=utf-8' : path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css'
      : path.endsWith('.svg') ? 'image/svg+xml' : path.endsWith('.wasm') ? 'application/wasm' : path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    // The manifest's own headers (CSP included): a page served from here is as strict as from the server.
    const headers = { ...manifest.headers, 'Content-Type': type, 'Content-Security-Policy': manifest.default_csp };
    await cache.put(path, new Response(bytes as BufferSource, { headers }));
  }
  await cache.put('/__ombud-pin/manifest.json', new Response(manifestBytes as BufferSource, { headers: { 'Content-Type': 'application/json' } }));
  return { manifest, digest, fingerprint };
}

async function tell(message: FromWorker): Promise<void> {
  for (const client of await sw.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

/** One check at a time (install and a page's question may overlap): each waits for the one before. */
let queue: Promise<unknown> = Promise.resolve();
function check(): Promise<FromWorker> {
  const next = queue.then(checkNow, checkNow);
  queue = next.catch(() => undefined);
  return next;
}

/** Set-up or update; resolves with what the page should be told. */
async function checkNow(): Promise<FromWorker> {
  const state = await readState();
  const [manifestBytes, signature] = await Promise.all([fetchBytes(MANIFEST_PATH), fetchBytes(MANIFEST_SIGNATURE_PATH).then((b) => new TextDecoder().decode(b))]);
  const digest = await sha256(manifestBytes);
  // A refusal is remembered for this manifest AND this signature: the same manifest, signed properly later, is taken.
  const attempt = `${digest}.${await sha256(new TextEncoder().encode(signature))}`;
  if (!state) {
    const releaseKey = new TextDecoder().decode(await fetchBytes(RELEASE_KEY_PATH));
    const taken = await takeVersion(releaseKey, manifestBytes, signature);
    await writeState({ releaseKey, fingerprint: taken.fingerprint, manifestDigest: taken.digest, version: taken.manifest.version });
    return { type: 'state', version: taken.manifest.version, fingerprint: taken.fingerprint, refused: null };
  }
  if (digest === state.manifestDigest) {
    if (state.refusedDigest) await writeState({ ...state, refusedDigest: undefined, refusedReason: undefined });
    return { type: 'state', version: state.version, fingerprint: state.fingerprint, refused: null };
  }
  if (attempt === state.refusedDigest) return { type: 'refused', reason: state.refusedReason ?? 'refused before' };
  try {
    const taken = await takeVersion(state.releaseKey, manifestBytes, signature);
    const old = `${CODE_CACHE_PREFIX}${state.manifestDigest}`;
    await writeState({ releaseKey: state.releaseKey, fingerprint: state.fingerprint, manifestDigest: taken.digest, version: taken.manifest.version });
    await caches.delete(old);
    return { type: 'updated', version: taken.manifest.version };
  } catch (error) {
    await caches.delete(`${CODE_CACHE_PREFIX}${digest}`);
    if (!(error instanceof PinRefusal)) throw error;
    await writeState({ ...state, refusedDigest: attempt, refusedReason: error.message });
    return { type: 'refused', reason: error.message };
  }
}

sw.addEventListener('install', (event) => {
  // A pin that cannot be set up (or an update that fails the check) fails the install: the browser keeps the old worker.
  event.waitUntil((async () => {
    const result = await check();
    if (result.type === 'refused') throw new Error(result.reason);
    await sw.skipWaiting();
  })());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const state = await readState();
    for (const name of await caches.keys()) {
      if (name.startsWith(CODE_CACHE_PREFIX) && name !== `${CODE_CACHE_PREFIX}${state?.manifestDigest}`) await caches.delete(name);
    }
    await sw.clients.claim();
  })());
});

sw.addEventListener('message', (event) => {
  if ((event.data as FromPage | undefined)?.type !== 'check') return;
  event.waitUntil((async () => {
    let answer: FromWorker;
    try {
      answer = await check();
    } catch (error) {
      answer = { type: 'refused', reason: error instanceof Error ? error.message : String(error) };
    }
    event.source?.postMessage(answer);
    if (answer.type === 'updated') await tell(answer);
  })());
});

sw.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== sw.location.origin || passesThrough(url.pathname)) return;
  event.respondWith((async () => {
    const state = await readState();
    if (!state) return fetch(event.request);
    const cache = await caches.open(`${CODE_CACHE_PREFIX}${state.manifestDigest}`);
    const manifestRes = await cache.match('/__ombud-pin/manifest.json');
    if (!manifestRes) return new Response('the pinned code is missing: sign in again', { status: 503 });
    const manifest = parseManifest(await manifestRes.text());
    const file = event.request.method === 'GET' ? servedFile(url.pathname, manifest.files, manifest.entry_points) : undefined;
    const cached = file === undefined ? undefined : await cache.match(file);
    return cached ?? new Response('not part of the signed release', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  })());
});
