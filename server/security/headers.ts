/**
 * Security headers for every answer, API and pages alike (helmet, configured
 * here and nowhere else), and `Cache-Control: no-store` for the API.
 *
 * The values come from common/release-manifest.ts, where the client manifest
 * takes them too: what the manifest promises is what this sends (a test
 * compares every header, and the server refuses to start with a manifest
 * that says otherwise).
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { CSP_DIRECTIVES, PERMISSIONS_POLICY } from '../../common/release-manifest.ts';
import type { AppConfig } from '../config.ts';

export function securityHeaders(config: Pick<AppConfig, 'publicUrl'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(CSP_DIRECTIVES).map(([name, values]) => [name, [...values]])),
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // HSTS only makes sense (and is only honoured) over https.
    strictTransportSecurity: config.publicUrl.startsWith('https:')
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
  });
}

/**
 * Features no page needs are switched off. The microphone stays available to
 * our own pages: a worker may record a voice message.
 */
export const permissionsPolicy: RequestHandler = (_req, res, next) => {
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  next();
};

export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
