/**
 * `/.well-known/ombud/`: the client manifest, its signature and the release
 * public key, for auditors (`ombud verify-deployment`), the workspace's
 * service worker, and anyone who asks. Served as the bytes on disk (the
 * signature is over them), never cached without revalidation, with the same
 * security headers as every page.
 */
import { Router, type RequestHandler } from 'express';
import { readFileSync } from 'node:fs';
import { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, RELEASE_KEY_PATH } from '../../common/release-manifest.ts';
import type { AppConfig } from '../config.ts';

const notFound: RequestHandler = (_req, res) => void res.status(404).type('text/plain').send('not found');

export function wellKnownRouter(config: Pick<AppConfig, 'clientDir' | 'releaseKeyFile'>): Router {
  const router = Router();
  const file = (path: string, type: string): RequestHandler => (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type(type);
    res.sendFile(path.slice(1), { root: config.clientDir, dotfiles: 'allow', lastModified: false, etag: false }, (error) => {
      if (error && !res.headersSent) notFound(_req, res, next);
    });
  };
  router.get(MANIFEST_PATH, file(MANIFEST_PATH, 'application/json'));
  router.get(MANIFEST_SIGNATURE_PATH, file(MANIFEST_SIGNATURE_PATH, 'application/pgp-signature'));
  // Read once: the key the server was started with (and checked the manifest's signature against).
  const releaseKey = config.releaseKeyFile === undefined ? undefined : readFileSync(config.releaseKeyFile, 'utf8');
  router.get(RELEASE_KEY_PATH, (req, res, next) => {
    if (releaseKey === undefined) return notFound(req, res, next);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/pgp-keys').send(releaseKey);
  });
  return router;
}
