/**
 * CORS for the worker pages when an independent static host serves them
 * (OMBUD_WORKER_ORIGIN, docs/operating.md "The worker pages from a second
 * origin"). Strict on purpose:
 *
 * - only the one configured origin, compared exactly (no wildcard, no
 *   reflection of whatever Origin came);
 * - only the reporter endpoints the report, status and info pages call
 *   (`WORKER_ENDPOINTS`), each with its one method; every investigator,
 *   setup, admin and poster route stays same-origin (the request guard
 *   still refuses it with 403 `cross_origin`);
 * - no credentials: `Access-Control-Allow-Credentials` is never sent, so a
 *   browser neither sends a cookie nor lets the page read an answer made
 *   with one (the reporter routes use no cookie: their credentials are in
 *   the body);
 * - a preflight is answered (204) only when the origin, path, method and
 *   every requested header are allowed; anything else gets 403
 *   `cross_origin` without CORS headers, which the browser turns into a
 *   failed fetch.
 *
 * `isWorkerCrossOrigin(req)` tells the request guard that this request is
 * the allowed cross-origin call, so the guard's Origin and Sec-Fetch-Site
 * checks let it through (its content-type check still applies).
 */
import type { Request, RequestHandler } from 'express';
import type { AppConfig } from '../config.ts';
import { HttpError } from '../errors.ts';

/** Method + path pattern of every API endpoint a worker page calls. */
export const WORKER_ENDPOINTS: ReadonlyArray<{ method: 'GET' | 'POST' | 'PATCH'; path: RegExp }> = [
  { method: 'GET', path: /^\/api\/channels\/[^/]+$/ },
  { method: 'POST', path: /^\/api\/pow$/ },
  { method: 'POST', path: /^\/api\/intake$/ },
  { method: 'POST', path: /^\/api\/uploads\/ticket$/ },
  { method: 'POST', path: /^\/api\/uploads$/ },
  { method: 'POST', path: /^\/api\/uploads\/resumable$/ },
  { method: 'GET', path: /^\/api\/uploads\/[^/]+$/ },
  { method: 'PATCH', path: /^\/api\/uploads\/[^/]+$/ },
  { method: 'POST', path: /^\/api\/status$/ },
  { method: 'POST', path: /^\/api\/status\/bind$/ },
  { method: 'POST', path: /^\/api\/status\/messages$/ },
  { method: 'POST', path: /^\/api\/status\/retaliation$/ },
  { method: 'POST', path: /^\/api\/status\/satisfaction$/ },
  { method: 'POST', path: /^\/api\/status\/attachments\/[^/]+$/ },
];

/** Request headers the worker pages set (lower case); a preflight asking for any other is refused. */
const ALLOWED_HEADERS = [
  'accept', 'content-type', 'x-ombud-upload-ticket', 'x-ombud-upload-digest', 'x-ombud-upload-length', 'x-ombud-upload-offset',
];
/** Response headers the pages read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = ['Retry-After', 'X-Ombud-Upload-Offset'];

const ALLOWED = Symbol('ombud.workerCrossOrigin');

/** The methods the worker pages use on `path` (a resumable upload is read with GET and continued with PATCH). */
function methodsFor(path: string): string[] {
  return WORKER_ENDPOINTS.filter((endpoint) => endpoint.path.test(path)).map((endpoint) => endpoint.method);
}

/** True when the request guard must let this cross-origin request pass (set by `workerCors`). */
export function isWorkerCrossOrigin(req: Request): boolean {
  return (req as Request & { [ALLOWED]?: boolean })[ALLOWED] === true;
}

function refuse(): never {
  throw new HttpError(403, 'cross_origin', 'requests from other sites are refused');
}

/** Mounted on `/api` before the request guard; without OMBUD_WORKER_ORIGIN it does nothing. */
export function workerCors(config: Pick<AppConfig, 'workerOrigin'>): RequestHandler {
  const origin = config.workerOrigin;
  if (!origin) return (_req, _res, next) => next();
  return (req, res, next) => {
    // The answer differs by Origin for these paths: caches must keep them apart.
    const path = req.originalUrl.split('?', 1)[0]!;
    const methods = methodsFor(path);
    if (methods.length > 0) res.vary('Origin');
    if (req.headers.origin !== origin || methods.length === 0) return next();

    if (req.method === 'OPTIONS') {
      const asked = req.headers['access-control-request-method'];
      if (asked === undefined) return next(); // not a preflight: the router answers as for anyone
      const headers = String(req.headers['access-control-request-headers'] ?? '')
        .split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
      if (typeof asked !== 'string' || !methods.includes(asked) || !headers.every((name) => ALLOWED_HEADERS.includes(name))) refuse();
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', asked);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    if (!methods.includes(req.method) && !(methods.includes('GET') && req.method === 'HEAD')) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
    (req as Request & { [ALLOWED]?: boolean })[ALLOWED] = true;
    next();
  };
}
