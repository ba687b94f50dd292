/**
 * The headers an independent static host must send with the worker pages it
 * serves (OMBUD_WORKER_ORIGIN; `npm run build -- --worker-origin-build DIR
 * --api-origin URL` writes them to DIR/.well-known/ombud/worker-headers.json
 * and into that build's manifest, and deploy/nginx/worker-origin.conf and
 * deploy/caddy/Caddyfile.worker-origin send them). They are the release's
 * own (common/release-manifest.ts) with one difference: the CSP's
 * `connect-src` also names the API's origin, and nothing else.
 *
 * No imports but the manifest's constants: the Vite config reads it at build time.
 */
import { CSP_DIRECTIVES, STATIC_HEADERS, serializeCsp } from '../../common/release-manifest.ts';

/** Page address on the static host → built file (the worker pages only; `/` is the info page there). */
export const WORKER_ENTRY_POINTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '/': ['/info.html'],
  '/info': ['/info.html'],
  '/r/{slug}': ['/report.html'],
  '/r/{slug}/info': ['/info.html'],
  '/status': ['/status.html'],
});

/** The HTML entries of the worker build (Vite input names). */
export const WORKER_ENTRIES = ['report', 'status', 'info'] as const;

export function workerPageCsp(apiOrigin: string): string {
  return serializeCsp({ ...CSP_DIRECTIVES, 'connect-src': [...CSP_DIRECTIVES['connect-src']!, apiOrigin] });
}

export interface WorkerHostHeaders {
  apiOrigin: string;
  entry_points: Readonly<Record<string, readonly string[]>>;
  /** Sent with every answer of the static host (lowercase names, exact values). */
  headers: Readonly<Record<string, string>>;
  /** Sent with the HTML pages besides `headers`. */
  pageHeaders: Readonly<Record<string, string>>;
  /** Sent with /assets/* besides `headers` (hashed names: kept a year). */
  assetHeaders: Readonly<Record<string, string>>;
}

export function workerHostHeaders(apiOrigin: string): WorkerHostHeaders {
  return {
    apiOrigin,
    entry_points: WORKER_ENTRY_POINTS,
    headers: { 'content-security-policy': workerPageCsp(apiOrigin), ...STATIC_HEADERS },
    pageHeaders: { 'cache-control': 'no-cache' },
    assetHeaders: { 'cache-control': 'public, max-age=31536000, immutable' },
  };
}
