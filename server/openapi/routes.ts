/** `GET /api/openapi.json`: the document of every route, this one included. */
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { buildOpenApiDocument } from './document.ts';

/** `routes` is the full table; the document is built once, lazily. */
export function openApiRoutes(ctx: Pick<AppContext, 'config'>, routes: () => readonly Route[]): Route[] {
  let document: unknown;
  return [
    defineRoute({
      method: 'get', path: '/api/openapi.json', summary: 'This API, as OpenAPI 3.1', tag: 'meta', auth: 'public',
      response: z.looseObject({ openapi: z.literal('3.1.0') }), status: 200,
      handler: () => (document ??= buildOpenApiDocument(routes(), ctx.config)) as { openapi: '3.1.0' },
    }),
  ];
}
