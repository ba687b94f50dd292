/**
 * Precompressed files: the build writes `x.js.gz` beside `x.js` where gzip
 * pays (scripts/vite-release.ts), and a browser that accepts gzip gets those
 * bytes with `Content-Encoding: gzip`. On the worker's phone (50 kB/s,
 * bench/low-end.ts) the report page's 70 kB script is 22 kB on the wire.
 *
 * The path still answers one set of bytes for everyone: the decoded body is
 * the file the manifest lists (and `ombud verify-deployment`, which asks for
 * `identity`, hashes); only the encoding on the wire differs, announced by
 * `Vary: Accept-Encoding` on both answers.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';

/** Whether the request takes gzip: `Accept-Encoding` names it (or `*`) without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** `file`'s gzip sibling, if the build wrote one (a regular file inside `root`). */
export function gzipSibling(root: string, file: string): string | undefined {
  const full = normalize(join(root, file));
  if (!full.startsWith(normalize(root) + sep)) return undefined;
  const gz = `${full}.gz`;
  return existsSync(gz) && statSync(gz).isFile() ? gz : undefined;
}

/**
 * Before the request is served from `root` (its path under `root` is `req.path`): when a `.gz` sibling
 * exists, say that the answer varies, and when the browser takes gzip, serve the sibling in its place
 * with the original's type (the static server sends a Content-Type already set, and the `.gz` file's length).
 */
export function precompressed(root: string): RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.endsWith('.gz')) return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (sendsGzip(req, res, root, path)) req.url = `${req.path}.gz${req.url.slice(req.path.length)}`;
    next();
  };
}

/**
 * Whether `file` (under `root`) goes out as its gzip sibling: when there is one, the answer varies with
 * Accept-Encoding; when the browser also takes gzip, the gzip headers (with the original's type) are set.
 */
export function sendsGzip(req: Request, res: Response, root: string, file: string): boolean {
  if (!gzipSibling(root, file)) return false;
  res.vary('Accept-Encoding');
  if (!acceptsGzip(req.get('accept-encoding'))) return false;
  res.type(extname(file));
  res.setHeader('Content-Encoding', 'gzip');
  return true;
}
