/**
 * The OpenAPI 3.1 document, built from the same route table as the Express
 * router (../routing/route.ts), with JSON Schemas from the zod contract in
 * common/api.ts (`z.toJSONSchema`).
 */
import { z } from 'zod';
import { ErrorBody } from '../../common/api.ts';
import type { Route } from '../routing/route.ts';
import { errorCodesByStatus } from './errors.ts';

/**
 * Error answers keep Ombud's own body, `{ error: <stable code>, message }` as `application/json`, not RFC 9457
 * problem details (`application/problem+json`, `type`/`title`/`status`/`detail`): every client, page and test
 * already reads `error` as the stable code, and 9457's `type` URI adds nothing a closed enum per status does not
 * say. Each status an operation can answer with lists its possible codes as an `enum` (./errors.ts).
 */
function errorResponses(route: Route): Record<string, unknown> {
  const base = schema(ErrorBody, 'output') as { properties: Record<string, object> };
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of errorCodesByStatus(route)) {
    responses[String(status)] = {
      description: `error: \`{ error, message }\` with \`error\` one of ${codes.map((c) => `\`${c}\``).join(', ')}`,
      content: {
        'application/json': {
          schema: { ...base, properties: { ...base.properties, error: { type: 'string', enum: codes } } },
        },
      },
    };
  }
  return responses;
}

/** `/api/cases/:id` → `/api/cases/{id}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const schema = (type: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(type, { io, target: 'draft-2020-12', unrepresentable: 'any' });

function operation(route: Route) {
  const pathParams = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const paramShapes = route.params ? (schema(route.params, 'input') as { properties?: Record<string, unknown> }) : {};
  const responses: Record<string, unknown> = {
    [String(route.status)]: route.produces === 'text'
      ? { description: 'success: plain text', content: { 'text/plain': { schema: { type: 'string' } } } }
      : route.produces === 'octet-stream'
      ? { description: 'success: OpenPGP ciphertext', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }
      : route.response
      ? { description: 'success', content: { 'application/json': { schema: schema(route.response, 'output') } } }
      : { description: 'success, no content' },
    ...errorResponses(route),
  };
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    security: route.auth === 'investigator' ? [{ session: [], csrf: [] }] : [],
    ...(pathParams.length
      ? {
          parameters: pathParams.map((name) => ({
            name,
            in: 'path',
            required: true,
            schema: paramShapes.properties?.[name] ?? { type: 'string' },
          })),
        }
      : {}),
    ...(route.consumes === 'octet-stream'
      ? { requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } } }
      : {}),
    ...(route.request
      ? { requestBody: { required: true, content: { 'application/json': { schema: schema(route.request, 'input') } } } }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(routes: readonly Route[], info: { publicUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ombud API',
      version: '0.1.0',
      description:
        'Every state-changing request must be `Content-Type: application/json` (uploads: `application/octet-stream`); an `Origin` header, if sent, must be ' +
        'the service origin. Investigator POSTs also need the `X-Ombud-CSRF` header from the session.',
    },
    servers: [{ url: info.publicUrl }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ombud_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-Ombud-CSRF' },
      },
    },
    paths,
  };
}
