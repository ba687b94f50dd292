import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importViolations, textViolations, type Violation } from './boundaries.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Every folder of the repository that holds TypeScript (not node_modules, dist, data or the test copies). */
const SOURCE_ROOTS = ['bench', 'client', 'common', 'crypto', 'db', 'scripts', 'server', 'tests'];
const key = (v: Violation) => `${v.rule}: ${v.from} → ${v.to}`;

describe('the boundaries of this repository', () => {
  it('keeps every import rule (rooms, arrows, no cycles, no page importing a page, openpgp and better-sqlite3 in their room)', () => {
    expect(importViolations(REPO).map(key)).toEqual([]);
  }, 120_000);

  it('keeps the rules an import graph cannot see (process.env, Math.random, SQL, db types from common)', () => {
    // The folders, not `git ls-files`: the Node-line runs test a copy of the tree that is not a git checkout.
    const sources: string[] = SOURCE_ROOTS.flatMap((root) =>
      existsSync(join(REPO, root))
        ? readdirSync(join(REPO, root), { recursive: true, encoding: 'utf8' })
            .map((f) => `${root}/${f.split(sep).join('/')}`)
            .filter((f) => f.endsWith('.ts') && !f.split('/').includes('node_modules'))
        : [],
    );
    sources.push(...readdirSync(REPO).filter((f) => f.endsWith('.ts')));
    expect(sources.length).toBeGreaterThan(300);
    const found = sources.flatMap((path) => {
      let source: string;
      try {
        source = readFileSync(join(REPO, path), 'utf8');
      } catch {
        return []; // deleted in the working tree, not yet committed
      }
      return textViolations(path, source);
    });
    expect(found.map(key)).toEqual([]);
  });
});

/**
 * The same rules on a planted tree: one file breaking each rule, and files
 * that stay within them. The check must name exactly the planted violations —
 * a rule that never fires, or fires on allowed code, fails here.
 */
describe('the boundary check on planted violations', () => {
  let dir: string;
  const plant = (path: string, source: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ombud-boundaries-'));
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    // Allowed: the arrows of the map, the two wrapped libraries in their rooms, a test reaching anywhere.
    plant('common/limits.ts', 'export const N = 1;\n');
    plant('crypto/openpgp.ts', "import * as openpgp from 'openpgp';\nimport { N } from '../common/limits.ts';\nexport const o = [openpgp, N];\n");
    plant('db/database.ts', "import Database from 'better-sqlite3';\nimport type { N } from '../common/limits.ts';\nexport const d = Database;\n");
    plant('server/ok.ts', "import { o } from '../crypto/openpgp.ts';\nimport { d } from '../db/database.ts';\nexport const s = [o, d];\n");
    plant('client/lib/shared.ts', "import { N } from '../../common/limits.ts';\nexport const l = N;\n");
    plant('client/report/main.ts', "import { l } from '../lib/shared.ts';\nimport { r } from './form.ts';\nexport const m = [l, r];\n");
    plant('client/report/form.ts', 'export const r = 1;\n');
    plant('server/ok.test.ts', "import { s } from './ok.ts';\nimport { t } from '../tests/support/helper.ts';\nexport const x = [s, t];\n");
    plant('tests/support/helper.ts', "import { s } from '../../server/ok.ts';\nexport const t = s;\n");
    plant('tests/support/db-scan.ts', "import Database from 'better-sqlite3';\nexport const scan = Database;\n");
    // Planted: one for each rule.
    plant('common/leans.ts', "import { s } from '../server/ok.ts';\nexport const c = s;\n");
    plant('crypto/leans.ts', "import { d } from '../db/database.ts';\nexport const c = d;\n");
    plant('db/leans.ts', "import { s } from '../server/ok.ts';\nexport const c = s;\n");
    plant('client/home/main.ts', "import { s } from '../../server/ok.ts';\nexport const c = s;\n");
    plant('client/status/main.ts', "import { r } from '../report/form.ts';\nexport const c = r;\n");
    plant('bench/run.ts', "import { t } from '../tests/support/helper.ts';\nexport const c = t;\n");
    plant('server/pgp.ts', "import * as openpgp from 'openpgp';\nexport const c = openpgp;\n");
    plant('tests/pgp.test.ts', "import * as openpgp from 'openpgp';\nexport const c = openpgp;\n");
    plant('server/sql.ts', "import Database from 'better-sqlite3';\nexport const c = Database;\n");
    plant('server/one.ts', "import { two } from './two.ts';\nexport const one = () => two;\n");
    plant('server/two.ts', "import { one } from './one.ts';\nexport const two = () => one;\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names exactly the planted import violations', () => {
    expect(importViolations(dir).map(key).sort()).toEqual(
      [
        'common-arrows: common/leans.ts → server/ok.ts',
        'crypto-arrows: crypto/leans.ts → db/database.ts',
        'db-arrows: db/leans.ts → server/ok.ts',
        'client-arrows: client/home/main.ts → server/ok.ts',
        'no-page-to-page: client/status/main.ts → client/report/form.ts',
        'bench-arrows: bench/run.ts → tests/support/helper.ts',
        'openpgp-only-in-crypto: server/pgp.ts → npm:openpgp',
        'openpgp-only-in-crypto: tests/pgp.test.ts → npm:openpgp',
        'sqlite-only-in-db: server/sql.ts → npm:better-sqlite3',
        'no-circular: server/one.ts → server/two.ts',
        'no-circular: server/two.ts → server/one.ts',
      ].sort(),
    );
  }, 120_000);

  it('names the planted text violations, and not what a comment or a test says', () => {
    const cases: [string, string, string[]][] = [
      ['server/cases/routes.ts', 'const port = process.env.PORT;', ['env-only-in-config']],
      ['server/config.ts', 'const port = process.env.PORT;', []],
      ['tests/support/server.ts', 'const port = process.env.PORT;', []],
      ['server/x.test.ts', 'process.env.TZ = "UTC";', []],
      ['client/report/token.ts', 'const n = Math.random();', ['no-math-random']],
      ['crypto/random.ts', '/** never Math.random */\nexport const n = 1; // not Math.random', []],
      ['server/ids.ts', 'const n = Math.random();', []],
      ['server/cases/work.ts', "db.prepare('SELECT id FROM cases WHERE team = ?')", ['sql-only-in-db']],
      ['client/lib/api.ts', 'const q = `DELETE FROM sessions`;', ['sql-only-in-db']],
      ['db/cases.repo.ts', "db.prepare('SELECT id FROM cases')", []],
      ['client/report/attachments.ts', 'box.prepare();', []],
      ['db/channels.repo.ts', "import { WORKER_LANGUAGES } from '../common/limits.ts';", ['db-takes-only-types-from-common']],
      ['db/cases.repo.ts', "import type { Stage } from '../common/limits.ts';", []],
      ['server/uploads/slots.ts', '/** Slots per client (issue 11, item 8). */\nexport const n = 2;', ['comments-say-why']],
      ['client/team/main.ts', '// see Issue #12\nconst n = 2;', ['comments-say-why']],
      ['server/uploads/slots.ts', '/** Slots per client: one slow phone must not make the others wait. */\nexport const n = 2;', []],
      ['client/lib/api.ts', "const url = '/issues/12'; // an address, not a citation", []],
    ];
    for (const [path, source, rules] of cases) {
      expect(textViolations(path, source).map((v) => v.rule), `${path}: ${source}`).toEqual(rules);
    }
  });
});
