/**
 * Several middlewares mounted as one layer of the Express router.
 *
 * The router does work for every layer a request passes: it matches the
 * layer's path and, for a layer mounted on a path (`app.use('/api', …)`),
 * cuts the mount path off `req.url` before the handler and puts it back
 * after it, each time through the request's properties. Four middlewares on
 * `/api` paid that four times for every API request; as one layer they pay
 * it once (docs/performance.md, twenty-eighth run).
 *
 * The handlers run in order, each when the one before calls `next()`, as
 * they did as separate layers. An error, thrown or passed to `next`, skips
 * the rest and goes to Express's error handling; so does a rejected promise
 * returned by a handler, as Express 5 does for its own layers.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function inSequence(...handlers: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let at = 0;
    const step = (error?: unknown): void => {
      // As between the router's own layers: `next('route')` from a middleware goes on to the next one.
      if (error && error !== 'route') return next(error);
      const handler = handlers[at++];
      if (!handler) return next();
      let result: unknown;
      try {
        result = handler(req, res, step);
      } catch (thrown) {
        return next(thrown);
      }
      if (result instanceof Promise) result.catch((rejected: unknown) => next(rejected || new Error('a middleware rejected')));
    };
    step();
  };
}
