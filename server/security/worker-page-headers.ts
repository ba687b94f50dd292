/**
 * The headers an independent static host must send with the worker pages it
 * serves (OMBUD_WORKER_ORIGIN; `npm run build -- --worker-origin-build DIR
 * --api-origin URL` writes them to DIR/.well-known/ombud/worker-headers.json,
 * and deploy/nginx/worker-origin.conf and deploy/caddy/Caddyfile.worker-origin
 * send them). The CSP is the API server's own (./headers.ts) with one
 * difference: `connect-src` also names the API's origin, and nothing else
 * (a test compares the two, so they cannot drift apart).
 *
 * Pure data, no imports: the Vite config reads it at build time.
 */

/** Path on the static host → built HTML file (the worker pages only; `/` is the info page there). */
export const WORKER_PAGES: Readonly<Record<string, string>> = {
  '/': 'info.html',
  '/r/:slug': 'report.html',
  '/r/:slug/info': 'info.html',
  '/status': 'status.html',
  '/info': 'info.html',
};

/** The HTML entries of the worker build (Vite input names). */
export const WORKER_ENTRIES = ['report', 'status', 'info'] as const;

export function workerPageCsp(apiOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self' ${apiOrigin}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join(';');
}

export interface WorkerHostHeaders {
  apiOrigin: string;
  pages: Readonly<Record<string, string>>;
  /** Sent with every answer of the static host. */
  headers: Readonly<Record<string, string>>;
  /** Sent with the HTML pages besides `headers`. */
  pageHeaders: Readonly<Record<string, string>>;
  /** Sent with /assets/* besides `headers` (hashed names: kept a year). */
  assetHeaders: Readonly<Record<string, string>>;
}

export function workerHostHeaders(apiOrigin: string): WorkerHostHeaders {
  return {
    apiOrigin,
    pages: WORKER_PAGES,
    headers: {
      'Content-Security-Policy': workerPageCsp(apiOrigin),
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), geolocation=(), payment=(), usb=(), microphone=(self)',
    },
    pageHeaders: { 'Cache-Control': 'no-cache' },
    assetHeaders: { 'Cache-Control': 'public, max-age=31536000, immutable' },
  };
}
