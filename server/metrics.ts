/**
 * `GET /api/metrics`: counts for monitoring, in the Prometheus text format.
 *
 * Totals only — cases by stage, teams, active investigators, channels,
 * staged uploads, live sessions, the schema version, this build's version
 * and the Node version. Never a case id, a day, a timing, a name or content.
 *
 * Off unless OMBUD_METRICS_TOKEN is set (then 404 `not_found`, like an
 * unknown path); with it, the request must carry `Authorization: Bearer
 * <token>`. Even counts are not given to anyone: a count of received cases
 * watched minute by minute tells when a report came in, which may point at
 * its author. A loopback-only rule would not do, since a reverse proxy on
 * the same machine makes every request come from loopback.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CASE_STAGES, metricCounts } from '../db/metrics.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from './clock.ts';
import { HttpError } from './errors.ts';
import { defineRoute, type Route } from './routing/route.ts';
import { VERSION } from './version.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function metricsRoute(deps: { db: Db; clock: Clock; token: string | undefined }): Route {
  const expected = deps.token === undefined ? undefined : digest(deps.token);
  return defineRoute({
    method: 'get', path: '/api/metrics', tag: 'meta', auth: 'public', response: null, status: 200, produces: 'text',
    errorDomains: ['accounts'], // 401 not_authenticated without the bearer token
    summary: 'Counts for monitoring, Prometheus text format (only with OMBUD_METRICS_TOKEN, as a bearer token)',
    handler: ({ req, res }) => {
      if (!expected) throw new HttpError(404, 'not_found', 'no such API endpoint');
      const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        res.set('WWW-Authenticate', 'Bearer realm="ombud-metrics"');
        throw new HttpError(401, 'not_authenticated', 'the metrics need Authorization: Bearer <OMBUD_METRICS_TOKEN>');
      }
      const c = metricCounts(deps.db, deps.clock.now());
      const gauge = (name: string, help: string, samples: string[]) => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples];
      return [
        ...gauge('ombud_cases', 'Cases, by stage.', CASE_STAGES.map((stage) => `ombud_cases{stage="${stage}"} ${c.casesByStage[stage]}`)),
        ...gauge('ombud_teams', 'Teams.', [`ombud_teams ${c.teams}`]),
        ...gauge('ombud_investigators', 'Investigator accounts that are not disabled.', [`ombud_investigators ${c.investigators}`]),
        ...gauge('ombud_channels', 'Intake channels.', [`ombud_channels ${c.channels}`]),
        ...gauge('ombud_uploads_staged', 'Uploaded files not yet attached to a report or message.', [`ombud_uploads_staged ${c.uploadsStaged}`]),
        ...gauge('ombud_sessions', 'Investigator sessions within their absolute limit.', [`ombud_sessions ${c.sessions}`]),
        ...gauge('ombud_schema_version', 'The database schema version.', [`ombud_schema_version ${c.schemaVersion}`]),
        ...gauge('ombud_build_info', 'This build: the Ombud and Node versions.', [`ombud_build_info{version="${VERSION}",node="${process.versions.node}"} 1`]),
        '',
      ].join('\n');
    },
  });
}
