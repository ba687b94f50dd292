/**
 * Checks on every state-changing /api request, before its body is parsed:
 *
 * - the body must be declared `application/json` (or `application/octet-stream`,
 *   for encrypted uploads) (415 otherwise). A page on
 *   another site cannot send that type without a CORS preflight, which we
 *   never answer;
 * - an `Origin` header, when present, must be our public origin or one of
 *   the extra origins configured (OMBUD_EXTRA_ORIGINS, e.g. the onion address), and a
 *   browser's `Sec-Fetch-Site` must not say cross-site (403 `cross_origin`) —
 *   except the one call ./worker-cors.ts let through: a reporter endpoint
 *   called from the configured worker origin (OMBUD_WORKER_ORIGIN).
 *
 * Investigator routes additionally require the session's CSRF header (see
 * ../auth/session-gate.ts).
 */
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config.ts';
import { HttpError } from '../errors.ts';
import { isWorkerCrossOrigin } from './worker-cors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

export function requestGuard(config: Pick<AppConfig, 'publicOrigin' | 'extraOrigins'>): RequestHandler {
  const allowed = new Set([config.publicOrigin, ...config.extraOrigins]);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    if (isWorkerCrossOrigin(req)) {
      // The worker origin on a reporter endpoint: allowed across sites; the body type still counts.
    } else if (origin !== undefined && !allowed.has(origin)) {
      throw new HttpError(403, 'cross_origin', 'requests from other sites are refused');
    } else if (req.headers['sec-fetch-site'] === 'cross-site') {
      throw new HttpError(403, 'cross_origin', 'requests from other sites are refused');
    }
    // Both types need a CORS preflight from another site (answered only for the worker origin on
    // the reporter endpoints, ./worker-cors.ts). Only the upload route reads raw bytes; a JSON
    // route sent octet-stream fails its schema (400).
    const type = mediaType(req.headers['content-type']);
    if (type !== 'application/json' && type !== 'application/octet-stream') {
      throw new HttpError(415, 'unsupported_media_type', 'send the request body as application/json');
    }
    next();
  };
}
