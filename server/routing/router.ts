/**
 * Turns the route table into an Express router: authenticate (for
 * investigator routes), validate params and body with zod, call the handler,
 * and send only what the response schema lists.
 */
import { Router } from 'express';
import { ZodError } from 'zod';
import type { SessionGate } from '../auth/session-gate.ts';
import { HttpError } from '../errors.ts';
import { mediaType } from '../security/request-guard.ts';
import type { Route } from './route.ts';

/** A response that fails its own schema is a server bug, not a bad request. */
class ResponseShapeError extends Error {
  override name = 'ResponseShapeError';
}

export function buildRouter(routes: readonly Route[], gate: SessionGate): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      if ((route.method === 'post' || route.method === 'patch') && (mediaType(req.headers['content-type']) === 'application/octet-stream') !== (route.consumes === 'octet-stream')) {
        throw new HttpError(415, 'unsupported_media_type', `send the request body as application/${route.consumes}`);
      }
      const session = route.auth === 'investigator' ? gate(req, res) : null;
      const params = route.params ? route.params.parse(req.params) : {};
      const body = route.request ? route.request.parse(req.body) : undefined;
      const result = await route.handler({ body, params, session, req, res });
      if (route.produces === 'text') {
        if (typeof result !== 'string') throw new ResponseShapeError('a text route returned no text');
        res.status(route.status).type('text/plain; charset=utf-8').send(result);
        return;
      }
      if (route.produces === 'octet-stream') {
        if (!(result instanceof Uint8Array)) throw new ResponseShapeError('a binary route returned no bytes');
        res.status(route.status).type('application/octet-stream').send(Buffer.from(result.buffer, result.byteOffset, result.byteLength));
        return;
      }
      if (route.response === null) {
        res.status(route.status).end();
        return;
      }
      let shaped: unknown;
      try {
        shaped = route.response.parse(result);
      } catch (error) {
        throw error instanceof ZodError ? new ResponseShapeError('response does not match its schema') : error;
      }
      res.status(route.status).json(shaped);
    });
  }
  return router;
}
