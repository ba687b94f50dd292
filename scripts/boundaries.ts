/**
 * The house's boundaries, checked: the import rules of .dependency-cruiser.cjs
 * (rooms and their arrows, no cycles, no page importing another page,
 * openpgp only in crypto/openpgp.ts, better-sqlite3 only in db/), and the
 * rules an import graph cannot see, checked on the text of the files:
 *
 * - `process.env` only in server/config.ts: the rest of the server receives
 *   its configuration, so a test can give it another and nothing reads the
 *   environment behind the operator's back;
 * - no `Math.random` in client/ or crypto/: every random value a worker's
 *   phone or the crypto makes comes from crypto.getRandomValues;
 * - SQL only in db/: the repositories are the one place that knows tables;
 * - db/ takes only types from common/ (`import type`): the database layer
 *   does not depend on rules that change with the product;
 * - no comment cites an issue by its number: a comment says why, in words
 *   a reader has without the issue tracker.
 *
 * Run by scripts/boundaries.test.ts in `npm test`; `npx depcruise --config
 * .dependency-cruiser.cjs common crypto db server client bench scripts tests`
 * prints the import rules' verdict by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IModule } from 'dependency-cruiser';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = join(REPO, '.dependency-cruiser.cjs');
const DEPCRUISE = join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** The rooms the import rules run over (the tool's config files stay outside the rooms). */
export const ROOMS = ['common', 'crypto', 'db', 'server', 'client', 'bench', 'scripts', 'tests'];

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

/**
 * Runs the import rules over `rooms` under `baseDir` (the repository, or a
 * planted tree in a test), with the depcruise command in a plain Node process:
 * its TypeScript parser (@swc/core) is loaded as the tool expects there, not
 * through the test runner's module loader.
 */
export function importViolations(baseDir: string, rooms: string[] = ROOMS): Violation[] {
  const run = spawnSync(
    process.execPath,
    [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', '--no-progress', ...rooms.filter((r) => existsSync(join(baseDir, r)))],
    { cwd: baseDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (run.error) throw run.error;
  let output: { modules: IModule[] };
  try {
    output = JSON.parse(run.stdout) as { modules: IModule[] };
  } catch {
    throw new Error(`depcruise did not answer (exit ${run.status}): ${run.stderr.slice(0, 2000)}`);
  }
  const found: Violation[] = [];
  for (const module of output.modules) {
    for (const dep of module.dependencies) {
      for (const rule of dep.rules ?? []) {
        if (rule.severity !== 'ignore') found.push({ rule: rule.name, from: module.source, to: packageOf(dep.resolved) });
      }
    }
  }
  return found;
}

/** `…/node_modules/openpgp/dist/…` → `npm:openpgp`: the same answer wherever node_modules lies. */
function packageOf(resolved: string): string {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(resolved);
  return m ? `npm:${m[1]}` : resolved;
}

const TEST_FILE = /(^tests\/|\.test\.ts$)/;

/** Comments removed, strings kept: a comment saying "never Math.random" is no violation. */
export function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const SQL = /\b(SELECT\b[^;]*?\bFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+(?:TABLE|INDEX)|ALTER\s+TABLE|DROP\s+TABLE)\b|\.prepare\(\s*['"`]|\.pragma\(/;

/**
 * The text rules for one tracked file (`path` relative to the repository).
 * Tests, tests/, scripts/ and bench/ may read the environment (they start
 * servers and tools); bench/ceiling-server.ts is the bare stack without Ombud
 * on purpose, so it may speak SQL.
 */
export function textViolations(path: string, source: string): Violation[] {
  if (!path.endsWith('.ts')) return [];
  const code = withoutComments(source);
  const found: Violation[] = [];
  const isTest = TEST_FILE.test(path);
  const toolOrConfig = /^(scripts|bench)\//.test(path) || /^[^/]+\.config\.ts$/.test(path);
  if (!isTest && !toolOrConfig && path !== 'server/config.ts' && /\bprocess\.env\b/.test(code)) {
    found.push({ rule: 'env-only-in-config', from: path, to: 'process.env' });
  }
  if (/^(client|crypto)\//.test(path) && /\bMath\.random\b/.test(code)) {
    found.push({ rule: 'no-math-random', from: path, to: 'Math.random' });
  }
  if (!isTest && !path.startsWith('db/') && path !== 'bench/ceiling-server.ts' && SQL.test(code)) {
    found.push({ rule: 'sql-only-in-db', from: path, to: 'SQL' });
  }
  const comments = source.match(/\/\*[\s\S]*?\*\/|\/\/.*$/gm) ?? [];
  // The rule's own test plants such comments inside strings: it is the one file exempt.
  if (path !== 'scripts/boundaries.test.ts' && comments.some((comment) => /\bissues? #?\d+/i.test(comment))) {
    found.push({ rule: 'comments-say-why', from: path, to: 'an issue number' });
  }
  if (path.startsWith('db/') && !isTest) {
    for (const m of code.matchAll(/^import\s+(?!type\b)[^;]*?from\s+['"](\.\.\/common\/[^'"]+)['"]/gm)) {
      found.push({ rule: 'db-takes-only-types-from-common', from: path, to: m[1]! });
    }
  }
  return found;
}
