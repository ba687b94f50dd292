/**
 * Where the API is. Same origin (the empty prefix) unless the page was built
 * for an independent static host (`npm run build -- --worker-origin-build DIR
 * --api-origin URL`), whose build writes the API's origin into each worker
 * page as `<meta name="ombud-api-origin" content="https://…">`: fixed at
 * build time, in the static HTML the static host serves, never per request.
 * The page's CSP (`connect-src`) names the same origin, so the browser
 * refuses any other.
 */
const META = 'meta[name="ombud-api-origin"]';

let cached: string | undefined;

/** '' (same origin) or the API's origin without a trailing slash. */
export function apiOrigin(): string {
  if (cached !== undefined) return cached;
  const content = typeof document === 'undefined' ? null : document.querySelector<HTMLMetaElement>(META)?.content ?? null;
  if (content === null || content === '') return (cached = '');
  const url = new URL(content);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`ombud-api-origin must be an origin like https://api.example.org, not ${content}`);
  }
  return (cached = url.origin);
}

/** `/api/…` → the URL to fetch it at. */
export function apiUrl(path: string): string {
  if (!path.startsWith('/')) throw new Error(`an API path starts with /: ${path}`);
  return `${apiOrigin()}${path}`;
}

/** `value` when it is an http(s) origin exactly (the server's word on OMBUD_WORKER_ORIGIN), else undefined. */
export function httpOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
