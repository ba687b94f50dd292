/**
 * `createApp` builds the Express application; it does not listen (main.ts
 * does). Tests hand it an in-memory database, a movable clock and a config
 * from `testConfig()` (./testing.ts).
 *
 * Nothing here logs requests: no access log, no IPs, no user agents.
 */
import express, { type Express } from 'express';
import { LIMITS } from '../common/limits.ts';
import { createRepositories, type Db } from '../db/index.ts';
import { createAuditTrail } from './audit/trail.ts';
import { createSessionGate } from './auth/session-gate.ts';
import type { Clock } from './clock.ts';
import type { AppConfig } from './config.ts';
import type { AppContext, Mailer } from './context.ts';
import { apiNotFound, errorHandler } from './errors.ts';
import { pageNotFound, pagesRouter } from './pages/routes.ts';
import { metricsRoute } from './metrics.ts';
import { buildRouter } from './routing/router.ts';
import { inSequence } from './routing/in-sequence.ts';
import { apiRoutes } from './routes.ts';
import { noStore, securityHeaders } from './security/headers.ts';
import { requestGuard } from './security/request-guard.ts';
import { workerCors } from './security/worker-cors.ts';
import { createServerKeys } from './security/secrets.ts';
import { createThrottles } from './security/throttle.ts';
import { createSmtpMailer } from './notify/mailer.ts';
import { createNotifier } from './notify/notifier.ts';

export interface AppDeps {
  db: Db;
  config: Readonly<AppConfig>;
  clock: Clock;
  /** The 32-byte server secret (main.ts keeps it in `<dataDir>/server-secret`). */
  secret: Uint8Array;
  /** Default: an SMTP mailer when `config.mail` is set (OMBUD_SMTP_URL), else none. */
  mailer?: Mailer;
}

export interface OmbudApp extends Express {
  /** The context the routes were built with (tests reach the repositories through it). */
  readonly ombud: AppContext;
}

export function createApp(deps: AppDeps): OmbudApp {
  const repos = createRepositories(deps.db);
  const mailer = deps.mailer ?? (deps.config.mail ? createSmtpMailer(deps.config.mail) : undefined);
  const ctx: AppContext = {
    repos,
    config: deps.config,
    clock: deps.clock,
    keys: createServerKeys(deps.secret),
    throttles: createThrottles(deps.clock),
    audit: createAuditTrail(repos, deps.clock),
    mailer,
    notify: createNotifier({ repos, config: deps.config, clock: deps.clock, mailer }),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(securityHeaders(deps.config));
  // One layer, not four: the router's work per layer is paid once (./routing/in-sequence.ts).
  app.use('/api', inSequence(
    noStore,
    workerCors(deps.config),
    requestGuard(deps.config),
    express.json({ limit: LIMITS.jsonBodyBytes, strict: true, inflate: false }),
  ));
  const metrics = metricsRoute({ db: deps.db, clock: deps.clock, token: deps.config.metricsToken });
  app.use(buildRouter(apiRoutes(ctx, [metrics]), createSessionGate(ctx)));
  app.use('/api', apiNotFound);
  app.use(pagesRouter(deps.config, () => !repos.investigators.adminExists()));
  app.use(pageNotFound);
  app.use(errorHandler);

  return Object.assign(app, { ombud: ctx });
}
