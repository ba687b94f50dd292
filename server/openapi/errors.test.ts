/**
 * Keeps the error codes, their statuses and the OpenAPI document in step: every `new HttpError(<status>, '<code>'`
 * in the tracked server sources (not tests) is a known code, at a status `ERROR_STATUS` lists for it, and documented
 * under that status by the operations that can reach the throw; every code and status in the table is thrown
 * somewhere (no dead codes).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestServer, type TestServer } from '../testing.ts';
import { ERROR_CODES, ERROR_STATUS } from '../errors.ts';
import { metricsRoute } from '../metrics.ts';
import { apiRoutes } from '../routes.ts';
import { openApiPath } from './document.ts';
import { ERROR_DOMAINS, FOLDER_DOMAINS, errorDomainsOf } from './errors.ts';

export interface Throw { file: string; status: number; code: string }

/** Modules every operation passes through (body parsing, the request guard, the router, the error handler). */
const SHARED_EVERYWHERE = ['server/errors.ts', 'server/encoding.ts', 'server/routing/', 'server/security/'];
/** Modules every signed-in operation passes through (the session gate, the role checks). */
const SHARED_SIGNED_IN = ['server/auth/session-gate.ts', 'server/auth/policy.ts'];

export interface Operation {
  key: string;
  folder: string;
  auth: string;
  domains: ReadonlySet<string>;
  /** single codes of other domains the route declares (`errorCodes`) */
  extraCodes: readonly string[];
  /** status → codes the document lists there */
  documented: ReadonlyMap<number, readonly string[]>;
}

export interface Tables {
  codes: readonly string[];
  status: Readonly<Record<string, readonly number[]>>;
  domains: Readonly<Record<string, readonly string[]>>;
  routeFolders: readonly string[];
}

const HTTP_ERROR = /new\s+HttpError\s*\(/g;
const LITERAL_HTTP_ERROR = /new\s+HttpError\s*\(\s*(\d{3})\s*,\s*'([a-z_]+)'/g;

/** Every literal throw in one file; a `new HttpError(` whose status and code are not literals is a problem. */
export function scanThrows(file: string, text: string): { throws: Throw[]; problems: string[] } {
  const throws = [...text.matchAll(LITERAL_HTTP_ERROR)].map((m) => ({ file, status: Number(m[1]), code: m[2]! }));
  const all = [...text.matchAll(HTTP_ERROR)].length;
  const problems = all === throws.length ? [] : [`${file}: ${all - throws.length} new HttpError(...) without a literal status and code`];
  return { throws, problems };
}

const folderOf = (file: string) => {
  const parts = file.split('/');
  return parts.length === 2 ? '.' : parts[1]!;
};

/** The operations that can reach a throw in `file`; `sources` (file → text) tells who imports a helper folder. */
function scopeOf(file: string, ops: readonly Operation[], tables: Tables, sources: ReadonlyMap<string, string>): Operation[] | undefined {
  if (SHARED_EVERYWHERE.some((p) => file === p || (p.endsWith('/') && file.startsWith(p)))) return [...ops];
  if (SHARED_SIGNED_IN.includes(file)) return ops.filter((op) => op.auth === 'investigator');
  const folder = folderOf(file);
  if (tables.routeFolders.includes(folder)) return ops.filter((op) => op.folder === folder);
  // A helper folder (reporter/, recipients/): the operations of the route folders that import it.
  const users = new Set(
    [...sources].filter(([f, text]) => f !== file && text.includes(`'../${folder}/`)).map(([f]) => folderOf(f)),
  );
  const scope = ops.filter((op) => users.has(op.folder));
  return scope.length ? scope : undefined;
}

export function checkErrors(sources: ReadonlyMap<string, string>, ops: readonly Operation[], tables: Tables): string[] {
  const problems: string[] = [];
  const throws: Throw[] = [];
  for (const [file, text] of sources) {
    const scanned = scanThrows(file, text);
    throws.push(...scanned.throws);
    problems.push(...scanned.problems);
  }
  const domainOf = (code: string) => Object.keys(tables.domains).find((d) => tables.domains[d]!.includes(code));
  for (const t of throws) {
    const where = `${t.file}: ${t.status} ${t.code}`;
    if (!tables.codes.includes(t.code)) {
      problems.push(`${where}: not in ERROR_CODES`);
      continue;
    }
    if (!tables.status[t.code]?.includes(t.status)) problems.push(`${where}: ERROR_STATUS lists ${String(tables.status[t.code])}`);
    const scope = scopeOf(t.file, ops, tables, sources);
    if (!scope) {
      problems.push(`${where}: no operation reaches this file (map its folder in FOLDER_DOMAINS)`);
      continue;
    }
    const domain = domainOf(t.code)!;
    const concerned = scope.filter((op) => op.domains.has(domain) || op.extraCodes.includes(t.code));
    if (concerned.length === 0) problems.push(`${where}: no operation of ${folderOf(t.file)}/ documents the ${domain} codes`);
    for (const op of concerned) {
      if (!op.documented.get(t.status)?.includes(t.code)) problems.push(`${where}: ${op.key} does not document it under ${t.status}`);
    }
  }
  problems.push(...checkDirectCalls(sources, ops));
  for (const code of tables.codes) {
    for (const status of tables.status[code] ?? []) {
      if (!throws.some((t) => t.code === code && t.status === status)) problems.push(`${code} ${status}: in ERROR_STATUS, thrown nowhere`);
    }
    if (!tables.status[code]?.length) problems.push(`${code}: no status in ERROR_STATUS`);
  }
  return problems;
}

/**
 * Finer than the folder scope: a route whose `defineRoute({...})` block calls an exported function of another module
 * by name must document the codes that function throws itself (its text up to the next top-level declaration).
 */
export function checkDirectCalls(sources: ReadonlyMap<string, string>, ops: readonly Operation[]): string[] {
  const helpers = new Map<string, Throw[]>();
  for (const [file, text] of sources) {
    if (SHARED_EVERYWHERE.some((p) => file === p || (p.endsWith('/') && file.startsWith(p)))) continue;
    for (const part of text.split(/\n(?=(?:export )?(?:async )?function |export const |const |class )/)) {
      const name = /^export (?:async )?function (\w+)/.exec(part)?.[1];
      const throws = name ? scanThrows(file, part).throws : [];
      // A route factory (`caseRoutes`) is not a helper: its routes are checked one by one.
      if (name && throws.length && !part.includes('defineRoute(')) helpers.set(name, throws);
    }
  }
  const byKey = new Map(ops.map((op) => [op.key, op]));
  const problems: string[] = [];
  for (const [file, text] of sources) {
    for (const rest of text.split('defineRoute({').slice(1)) {
      const block = rest.split(/\n}/)[0]!; // at most to the end of the enclosing top-level function
      const method = /method: '(\w+)'/.exec(block)?.[1];
      const path = /path: '([^']+)'/.exec(block)?.[1];
      const op = byKey.get(`${method?.toUpperCase()} ${path}`);
      if (!op) continue;
      for (const [name, throws] of helpers) {
        if (!new RegExp(`\\b${name}\\(`).test(block)) continue;
        for (const t of throws) {
          if (!op.documented.get(t.status)?.includes(t.code)) {
            problems.push(`${file}: ${op.key} calls ${name} (${t.file}), which throws ${t.status} ${t.code}; not documented`);
          }
        }
      }
    }
  }
  return problems;
}

interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties?: { error?: { enum?: string[] } } } }> }> }>>;
}

function operationsOf(t: TestServer, doc: Doc): Operation[] {
  const metrics = metricsRoute({ db: t.db, clock: t.clock, token: t.config.metricsToken });
  return apiRoutes(t.app.ombud, [metrics]).map((route) => {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    const responses = doc.paths[openApiPath(route.path)]?.[route.method]?.responses ?? {};
    const documented = new Map(
      Object.entries(responses)
        .filter(([status]) => /^[45]\d\d$/.test(status))
        .map(([status, r]) => [Number(status), r.content?.['application/json']?.schema.properties?.error?.enum ?? []] as const),
    );
    return { key, folder: route.folder, auth: route.auth, domains: errorDomainsOf(route), extraCodes: route.errorCodes, documented };
  });
}

const tables: Tables = {
  codes: ERROR_CODES,
  status: ERROR_STATUS,
  domains: ERROR_DOMAINS,
  routeFolders: Object.keys(FOLDER_DOMAINS),
};

describe('error codes ↔ OpenAPI document', () => {
  let t: TestServer;
  let doc: Doc;
  let ops: Operation[];
  beforeAll(async () => {
    t = await createTestServer({ team: false });
    doc = (await request(t.app).get('/api/openapi.json').expect(200)).body as Doc;
    ops = operationsOf(t, doc);
  });
  afterAll(() => t.close());

  const sources = new Map(
    // The folder, not `git ls-files`: the Node-line runs test a copy of the tree that is not a git checkout.
    readdirSync('server', { recursive: true, encoding: 'utf8' })
      .map((f) => `server/${f.split(sep).join('/')}`)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort()
      .map((f) => [f, readFileSync(f, 'utf8')] as const),
  );

  it('every thrown code is known, at a listed status, and documented there; no code is dead', () => {
    expect(sources.size).toBeGreaterThan(50);
    expect(ops.length).toBeGreaterThan(50);
    expect(checkErrors(sources, ops, tables)).toEqual([]);
  });

  it('every operation documents 400 invalid_request and 500 internal_error; signed-in ones 401 not_authenticated', () => {
    for (const op of ops) {
      expect(op.documented.get(400), op.key).toContain('invalid_request');
      expect(op.documented.get(500), op.key).toContain('internal_error');
      if (op.auth === 'investigator') expect(op.documented.get(401), op.key).toContain('not_authenticated');
    }
    // A single code declared by a route (`errorCodes`), not its whole domain: the reporter's credential throttle.
    const status = ops.find((op) => op.key === 'POST /api/status')!;
    expect(status.documented.get(429)).toEqual(['too_many_attempts']);
    expect(status.documented.get(401)).toBeUndefined();
  });

  it('names planted mismatches', () => {
    const planted = new Map(sources);
    planted.set('server/cases/planted.ts', [
      "throw new HttpError(404, 'no_such_code', 'x');",
      "throw new HttpError(418, 'case_not_found', 'x');",
      "throw new HttpError(409, 'channel_slug_taken', 'x');",
      'throw new HttpError(status, code, message);',
    ].join('\n'));
    // A code the document forgets on one operation.
    const forgetful = ops.map((op) =>
      op.key === 'GET /api/cases/:id'
        ? { ...op, documented: new Map([...op.documented].map(([s, c]) => [s, c.filter((x) => x !== 'case_not_found')] as const)) }
        : op,
    );
    const problems = checkErrors(planted, forgetful, tables);
    expect(problems).toEqual(expect.arrayContaining([
      'server/cases/planted.ts: 1 new HttpError(...) without a literal status and code',
      'server/cases/planted.ts: 404 no_such_code: not in ERROR_CODES',
      'server/cases/planted.ts: 418 case_not_found: ERROR_STATUS lists 404',
      'server/cases/planted.ts: 409 channel_slug_taken: no operation of cases/ documents the channels codes',
      expect.stringMatching(/^server\/cases\/.*: 404 case_not_found: GET \/api\/cases\/:id does not document it under 404$/),
    ]));
    // A route calling a helper that throws a code its operation does not document.
    const calls = new Map([
      ['server/reporter/planted-helper.ts', "export function plantedCheck() {\n  throw new HttpError(409, 'already_bound', 'x');\n}\n"],
      ['server/cases/planted-routes.ts', "defineRoute({\n  method: 'get', path: '/api/cases/:id', handler: () => plantedCheck(),\n});\n"],
    ]);
    expect(checkDirectCalls(calls, ops)).toEqual([
      'server/cases/planted-routes.ts: GET /api/cases/:id calls plantedCheck (server/reporter/planted-helper.ts), which throws 409 already_bound; not documented',
    ]);
    // A dead code: drop its only throws.
    const withoutSetupThrows = new Map([...sources].map(([f, text]) => [f, f.startsWith('server/setup/') ? '' : text] as const));
    expect(checkErrors(withoutSetupThrows, ops, tables)).toContain('already_set_up 409: in ERROR_STATUS, thrown nowhere');
  });
});
