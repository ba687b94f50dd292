import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestServer, type TestServer } from '../testing.ts';
import { openApiPath } from './document.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer({ team: false });
});
afterEach(() => t.close());

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` registered on the Express app, nested routers included. */
function expressRoutes(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route!.path}`);
    }
    return layer.handle?.stack ? expressRoutes(layer.handle.stack) : [];
  });
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document', async () => {
    const res = await request(t.app).get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/api/intake'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'lookupId',
    );
    expect(res.body.paths['/api/cases/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(res.body.paths['/api/cases'].get.security).toEqual([{ session: [], csrf: [] }]);
  });

  it('lists exactly the API routes Express serves', async () => {
    const doc = (await request(t.app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const router = (t.app as unknown as { router: { stack: Layer[] } }).router;
    const served = expressRoutes(router.stack)
      .filter((r) => r.split(' ')[1]!.startsWith('/api/'))
      .map((r) => {
        const [method, path] = r.split(' ');
        return `${method} ${openApiPath(path!)}`;
      })
      .sort();
    expect(served.length).toBeGreaterThan(10);
    expect(documented).toEqual(served);
  });
});
