/**
 * `GET /api/metrics`: counts for monitoring, in the Prometheus text format.
 *
 * Totals only — cases by stage, teams, active investigators, channels,
 * staged uploads, live sessions, the schema version, this build's version
 * and the Node version. Never a case id, a day, a timing, a name or content.
 *
 * Off unless OMBUD_METRICS_TOKEN is set (then 404, like any unknown path);
 * with it, the request must carry `Authorization: Bearer <token>`. Even
 * counts are not given to anyone: a count of received cases watched
 * minute by minute tells when a report came in, which may point at its
 * author. A loopback-only rule would not do, since a reverse proxy on the
 * same machine makes every request come from loopback.
 */
import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { CASE_STAGES, metricCounts } from '../db/metrics.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from './clock.ts';
import { VERSION } from './version.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function metricsHandler(deps: { db: Db; clock: Clock; token: string | undefined }): RequestHandler {
  const expected = deps.token === undefined ? undefined : digest(deps.token);
  return (req, res, next) => {
    if (!expected) return next(); // off: falls through to the API's 404
    const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="ombud-metrics"').json({ error: 'unauthenticated' });
      return;
    }
    const c = metricCounts(deps.db, deps.clock.now());
    const lines = [
      '# HELP ombud_cases Cases, by stage.',
      '# TYPE ombud_cases gauge',
      ...CASE_STAGES.map((stage) => `ombud_cases{stage="${stage}"} ${c.casesByStage[stage]}`),
      '# HELP ombud_teams Teams.',
      '# TYPE ombud_teams gauge',
      `ombud_teams ${c.teams}`,
      '# HELP ombud_investigators Investigator accounts that are not disabled.',
      '# TYPE ombud_investigators gauge',
      `ombud_investigators ${c.investigators}`,
      '# HELP ombud_channels Intake channels.',
      '# TYPE ombud_channels gauge',
      `ombud_channels ${c.channels}`,
      '# HELP ombud_uploads_staged Uploaded files not yet attached to a report or message.',
      '# TYPE ombud_uploads_staged gauge',
      `ombud_uploads_staged ${c.uploadsStaged}`,
      '# HELP ombud_sessions Investigator sessions within their absolute limit.',
      '# TYPE ombud_sessions gauge',
      `ombud_sessions ${c.sessions}`,
      '# HELP ombud_schema_version The database schema version.',
      '# TYPE ombud_schema_version gauge',
      `ombud_schema_version ${c.schemaVersion}`,
      '# HELP ombud_build_info This build: the Ombud and Node versions.',
      '# TYPE ombud_build_info gauge',
      `ombud_build_info{version="${VERSION}",node="${process.versions.node}"} 1`,
      '',
    ];
    res.status(200).type('text/plain; version=0.0.4; charset=utf-8').send(lines.join('\n'));
  };
}
