/**
 * The rooms of the house and the arrows allowed between them
 * (docs/architecture.md draws the same map). Checked by
 * scripts/boundaries.test.ts, which runs in `npm test`; the few rules this
 * tool cannot see (process.env, Math.random, SQL) are checked there too.
 *
 * A test file (`*.test.ts`) and anything under tests/ may import any room:
 * tests reach in to look. They still may not make cycles.
 */

/** The pages of client/: each is one HTML entry and imports no other page. */
const PAGES = ['report', 'status', 'team', 'setup', 'join', 'recover', 'info', 'home'];
const TEST = '(^tests/|\\.test\\.ts$)';

/** Allowed arrows per room: any room not listed is forbidden to it. */
const ROOMS = {
  common: [],
  crypto: ['common'],
  // db takes only types from common (scripts/boundaries.test.ts checks `import type`).
  db: ['common'],
  server: ['crypto', 'db', 'common'],
  client: ['crypto', 'common'],
  bench: ['server', 'db', 'crypto', 'common', 'scripts'],
  scripts: ['server', 'db', 'crypto', 'common'],
};
const ALL_ROOMS = ['common', 'crypto', 'db', 'server', 'client', 'bench', 'scripts', 'tests'];

const roomRules = Object.entries(ROOMS).map(([room, allowed]) => ({
  name: `${room}-arrows`,
  comment: `${room}/ may import only ${allowed.length ? allowed.join(', ') : 'nothing of ours'} (and itself)`,
  severity: 'error',
  from: { path: `^${room}/`, pathNot: TEST },
  to: { path: `^(${ALL_ROOMS.filter((r) => r !== room && !allowed.includes(r)).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere: a cycle means two modules are one concept or a shared piece wants its own room.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...roomRules,
    {
      name: 'no-page-to-page',
      comment: 'A client page imports no other page; shared pieces live in client/lib, client/media, client/voice, client/i18n …',
      severity: 'error',
      from: { path: `^client/(${PAGES.join('|')})/` },
      to: { path: `^client/(${PAGES.join('|')})/`, pathNot: '^client/$1/' },
    },
    {
      name: 'openpgp-only-in-crypto',
      comment: 'openpgp.js is wrapped once, in crypto/openpgp.ts; everything else, tests included, uses crypto/.',
      severity: 'error',
      from: { pathNot: '^crypto/openpgp\\.ts$' },
      to: { path: '(^|/)node_modules/openpgp/' },
    },
    {
      name: 'sqlite-only-in-db',
      comment:
        'better-sqlite3 only in db/ (tests may open a database file to look inside). bench/ceiling-server.ts is the one exception: it measures the bare stack without Ombud, on purpose.',
      severity: 'error',
      from: { pathNot: ['^db/', '^bench/ceiling-server\\.ts$', TEST] },
      to: { path: '(^|/)node_modules/better-sqlite3/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage)/' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      // Resolve packages through their `exports` map, as Node does (dependency-cruiser's default ignores it; a package
      // with no `main`, like @redocly/openapi-core, was then "unresolvable").
      exportsFields: ['exports'],
    },
  },
};
