/**
 * The served document passes Redocly's `recommended` ruleset (@redocly/openapi-core, the engine of `redocly lint`)
 * with no error and no warning. Rules switched off are listed with the reason they do not apply.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestServer, type TestServer } from '../testing.ts';

export const LINT_CONFIG: Parameters<typeof createConfig>[0] = {
  extends: ['recommended'],
  rules: {
    // Ombud has not chosen a licence yet (no LICENSE file, no package.json "license"); naming one is the owners' call,
    // not the document's. Remove this line when they do and put it in info.license.
    'info-license': 'off',
  },
};

async function lint(document: unknown) {
  const config = await createConfig(LINT_CONFIG);
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location.map((l) => l.pointer).join(', ')})`);
}

describe('redocly lint (recommended) of GET /api/openapi.json', () => {
  let t: TestServer;
  let document: Record<string, unknown>;
  beforeAll(async () => {
    t = await createTestServer({ team: false });
    document = (await request(t.app).get('/api/openapi.json').expect(200)).body as Record<string, unknown>;
  });
  afterAll(() => t.close());

  it('has no errors and no warnings', async () => {
    expect(await lint(document)).toEqual([]);
  });

  it('does report a broken document (the linter is really running)', async () => {
    const broken = { ...document, paths: { '/api/x/{id}': { get: { responses: {} } } } };
    const problems = await lint(broken);
    expect(problems.some((p) => p.startsWith('error '))).toBe(true);
  });
});
