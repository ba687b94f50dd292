/**
 * The browser pages, as built by Vite into `config.clientDir`: one HTML entry
 * per page, hashed assets under /assets (cached for a year), a few other
 * static files. Security headers are the app-wide ones (../security/headers.ts).
 */
import express, { Router, type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config.ts';
import { wellKnownRouter } from '../release/well-known.ts';
import { precompressed, sendsGzip } from './precompressed.ts';

/** URL path → built HTML file. */
export const PAGES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/r/:slug': 'report.html',
  '/status': 'status.html',
  '/team': 'team.html',
  '/setup': 'setup.html',
  '/join': 'join.html',
  '/info': 'info.html',
  '/r/:slug/info': 'info.html',
  '/recover': 'recover.html',
  '/poster': 'poster.html',
};

export const pageNotFound: RequestHandler = (_req, res) => {
  res.status(404).type('text/plain').send('not found');
};

/**
 * `Onion-Location: <onion origin><path>` on a page asked for by any other
 * host name than the onion one, when an onion origin is configured
 * (OMBUD_EXTRA_ORIGINS): Tor Browser then offers the onion address.
 */
function onionLocation(config: Pick<AppConfig, 'onionOrigin'>): RequestHandler {
  const onion = config.onionOrigin;
  if (!onion) return (_req, _res, next) => next();
  const onionHost = new URL(onion).host;
  return (req, res, next) => {
    if ((req.headers.host ?? '').toLowerCase() !== onionHost) res.setHeader('Onion-Location', `${onion}${req.originalUrl}`);
    next();
  };
}

/** `/name.ext` of letters, digits, `.`, `_` and `-`, not `.html`: what may come from the root of the build. */
function isPlainRootFile(path: string): boolean {
  return /^\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(path) && !/\.html?$/i.test(path);
}

/** Pages that, before first-run setup, are replaced by the "setup pending" page (a static page too). */
export const SETUP_PENDING_PAGES = new Set(['/', '/team']);

export function pagesRouter(config: Pick<AppConfig, 'clientDir' | 'onionOrigin' | 'releaseKeyFile'>, setupPending: () => boolean = () => false): Router {
  const router = Router();
  const root = config.clientDir;
  const onion = onionLocation(config);

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (existsSync(join(root, 'index.html'))) return next();
    res.status(503).type('text/plain').set('Cache-Control', 'no-store').send('client not built: run npm run build');
  });

  for (const [path, file] of Object.entries(PAGES)) {
    router.get(path, onion, (req, res, next) => {
      res.setHeader('Cache-Control', 'no-cache');
      const served = SETUP_PENDING_PAGES.has(path) && setupPending() ? 'pending.html' : file;
      // No Last-Modified or ETag: the build gives every file the same fixed time (reproducibility), so
      // those would not change between releases; pages are small and fetched whole.
      // The page gzipped when the build wrote it so and the browser takes it (./precompressed.ts).
      const gzip = sendsGzip(req, res, root, served);
      res.sendFile(gzip ? `${served}.gz` : served, { root, dotfiles: 'deny', lastModified: false, etag: false }, (error) => {
        if (error && !res.headersSent) next(); // not built: fall through to 404
      });
    });
  }

  router.use(wellKnownRouter(config));
  router.use(
    '/assets',
    precompressed(join(root, 'assets')),
    express.static(join(root, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false }),
  );
  // Other unhashed files at the root (an icon); never the HTML entries by their file names. The static
  // server decodes the path, so `/index%2ehtml` was index.html: a path with any percent-encoding, or whose
  // decoded form names an HTML file or another folder, is not a file we built.
  router.use((req, res, next) => (isPlainRootFile(req.path) ? next() : pageNotFound(req, res, next)));
  router.use(express.static(root, { index: false, redirect: false, dotfiles: 'ignore', maxAge: 0 }));
  return router;
}
