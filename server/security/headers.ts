/**
 * Security headers for every answer, API and pages alike, and
 * `Cache-Control: no-store` for the API.
 *
 * The values are common/release-manifest.ts's, where the client manifest
 * takes them too: what the manifest promises is what this sends, byte for
 * byte (a test compares every header, and the server refuses to start with a
 * manifest that says otherwise). They do not depend on the request, so the
 * list is made once and set by one middleware: helmet set the same headers
 * from twelve middlewares of its own (≈ 28 µs of each report in a profile
 * under load: docs/performance.md, thirteenth and fourteenth runs).
 */
import type { RequestHandler } from 'express';
import { DEFAULT_CSP, STATIC_HEADERS } from '../../common/release-manifest.ts';
import type { AppConfig } from '../config.ts';

/** HSTS only makes sense (and is only honoured) over https: a year, subdomains too. */
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(config: Pick<AppConfig, 'publicUrl'>): RequestHandler {
  const headers: ReadonlyArray<readonly [string, string]> = [
    ['content-security-policy', DEFAULT_CSP],
    ...Object.entries(STATIC_HEADERS),
    ...(config.publicUrl.startsWith('https:') ? [['strict-transport-security', HSTS] as const] : []),
  ];
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
