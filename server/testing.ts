/**
 * Building an Ombud app for tests — API tests beside the code, and the
 * browser journeys in tests/. Nothing listens unless you call `listen()`.
 *
 *   const t = await createTestServer();             // in-memory db, clock at TEST_START, one team
 *   const draft = await t.draftReport();             // real keys, real ciphertext, solved PoW
 *   await request(t.app).post('/api/intake').set(json).send(draft.body).expect(201);
 *   const admin = await t.login(t.team.admin);       // supertest agent + CSRF header
 *   await admin.get('/api/cases').expect(200);
 *   t.clock.advance({ days: 8 });
 *   t.close();
 *
 * Proof-of-work difficulty is 4 bits unless overridden. For a real browser,
 * `listenTestServer()` serves on a free port with the public URL (and so
 * the accepted Origin) set to that address.
 */
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Session } from '../common/api.ts';
import { createRepositories, openDatabase, type Db, type Repositories } from '../db/index.ts';
import { createApp, type OmbudApp } from './app.ts';
import { CSRF_HEADER } from './auth/session-gate.ts';
import { parseConfig, type AppConfig } from './config.ts';
import type { Mailer } from './context.ts';
import { createTestClock, type TestClock } from './testing/clock.ts';
import {
  addInvestigator, addTeam, type InvestigatorOptions, type TeamOptions, type TestInvestigator, type TestTeam,
} from './testing/organisation.ts';
import { draftReport, json, type DraftOptions, type ReportDraft } from './testing/reporter.ts';

export { createTestClock, TEST_START, type TestClock } from './testing/clock.ts';
export type { InvestigatorOptions, TeamOptions, TestInvestigator, TestTeam } from './testing/organisation.ts';
export { encryptMessage, fetchSolvedPow, json, type DraftOptions, type ReportDraft } from './testing/reporter.ts';

/** Defaults for tests: public URL http://127.0.0.1:8080, PoW 4 bits, client dir that does not exist. */
export function testConfig(overrides: Partial<AppConfig> = {}): Readonly<AppConfig> {
  const base = parseConfig({ OMBUD_POW_DIFFICULTY: '4', OMBUD_CLIENT_DIR: '/nonexistent/ombud-client', OMBUD_DATA_DIR: '/nonexistent/ombud-data' });
  const merged = { ...base, ...overrides };
  if (overrides.publicUrl && !overrides.publicOrigin) merged.publicOrigin = new URL(overrides.publicUrl).origin;
  if (overrides.extraOrigins && !('onionOrigin' in overrides)) {
    merged.onionOrigin = overrides.extraOrigins.find((origin) => new URL(origin).hostname.endsWith('.onion'));
  }
  return Object.freeze(merged);
}

/** A signed-in investigator: a cookie-keeping agent whose POSTs carry JSON and the CSRF header. */
export interface InvestigatorClient {
  session: Session;
  /** The `ombud_session` cookie value (e.g. to put into a browser context). */
  cookie: string;
  agent: ReturnType<typeof request.agent>;
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
}

export interface TestServer {
  app: OmbudApp;
  db: Db;
  repos: Repositories;
  clock: TestClock;
  config: Readonly<AppConfig>;
  /** The first team (throws if created with `team: false`). */
  readonly team: TestTeam;
  addTeam(options?: TeamOptions): Promise<TestTeam>;
  addInvestigator(team: TestTeam | string, options?: InvestigatorOptions): Promise<TestInvestigator>;
  login(investigator: TestInvestigator): Promise<InvestigatorClient>;
  /** A report to the first team's channel unless `channel` says otherwise. */
  draftReport(options?: Partial<DraftOptions>): Promise<ReportDraft>;
  /** Drafts, posts (expects 201) and returns the draft with the new case id. */
  submitReport(options?: Partial<DraftOptions>): Promise<ReportDraft & { caseId: string }>;
  close(): void;
}

export interface TestServerOptions {
  config?: Partial<AppConfig>;
  /** A file path for a file-backed database; default ':memory:'. */
  dbPath?: string;
  /** Create a first team (default), configure it, or not (`false`, for setup tests). */
  team?: TeamOptions | false;
  clockStart?: string | number;
  mailer?: Mailer;
  /** The server secret (default random): the same secret on a copy of the database finds its cases by token. */
  secret?: Uint8Array;
}

export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = openDatabase(options.dbPath ?? ':memory:');
  const clock = createTestClock(options.clockStart);
  const config = testConfig(options.config);
  const app = createApp({ db, config, clock, secret: options.secret ?? new Uint8Array(randomBytes(32)), mailer: options.mailer });
  const repos = createRepositories(db);
  const deps = { repos, clock };
  const first = options.team === false ? undefined : await addTeam(deps, options.team);

  const server: TestServer = {
    app, db, repos, clock, config,
    get team(): TestTeam {
      if (!first) throw new Error('this test server was created without a team');
      return first;
    },
    addTeam: (teamOptions) => addTeam(deps, teamOptions),
    addInvestigator: (team, invOptions) => addInvestigator(deps, typeof team === 'string' ? team : team.id, invOptions),
    async login(investigator) {
      const agent = request.agent(app);
      const res = await agent
        .post('/api/auth/login').set(json).send({ username: investigator.username, verifier: investigator.verifier })
        .expect(200);
      const session = res.body as Session;
      const cookie = /^ombud_session=([^;]+)/.exec(String(res.headers['set-cookie']?.[0]))?.[1];
      if (!cookie) throw new Error('login set no session cookie');
      return {
        session, agent, cookie,
        get: (path) => agent.get(path),
        post: (path, body = {}) => agent.post(path).set(json).set(CSRF_HEADER, session.csrfToken).send(body as object),
      };
    },
    draftReport: (draft = {}) => draftReport(app, { channel: server.team.channelSlug, ...draft }),
    async submitReport(draft = {}) {
      const made = await server.draftReport(draft);
      await request(app).post('/api/intake').set(json).send(made.body).expect(201);
      const caseId = repos.cases.findByLookupHash(app.ombud.keys.hmacHex('lookup', made.credentials.lookupId))?.id;
      if (!caseId) throw new Error('the submitted case is not listed');
      return { ...made, caseId };
    },
    close: () => db.close(),
  };
  return server;
}

export interface ListeningTestServer extends TestServer {
  /** `http://127.0.0.1:<port>`, also the configured public URL. */
  url: string;
  /** Stops listening and closes the database. */
  stop(): Promise<void>;
}

/** Like createTestServer, listening on 127.0.0.1 on a free port (pass `config.clientDir` to serve pages). */
export async function listenTestServer(options: TestServerOptions = {}): Promise<ListeningTestServer> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const server = await createTestServer({ ...options, config: { ...options.config, publicUrl: url, publicOrigin: url } });
  http.on('request', server.app);
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      http.closeAllConnections();
      http.close((error) => (error ? reject(error) : resolve()));
    }).finally(() => server.close());
  return Object.assign(server, { url, stop });
}
