/** The whole API route table, in the order the OpenAPI document lists it. */
import { z } from 'zod';
import type { AppContext } from './context.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { caseRoutes } from './cases/routes.ts';
import { caseWorkRoutes } from './cases/work-routes.ts';
import { caseIndexRoutes } from './cases/index-routes.ts';
import { teamRoutes } from './people/team-routes.ts';
import { retentionRoutes } from './retention/routes.ts';
import { channelRoutes } from './channels/routes.ts';
import { channelAdminRoutes } from './channels/admin-routes.ts';
import { posterRoutes } from './posters/routes.ts';
import { intakeRoutes } from './intake/routes.ts';
import { inviteRoutes } from './invites/routes.ts';
import { teamsRoutes } from './people/teams-routes.ts';
import { memberRoutes } from './people/member-routes.ts';
import { recoveryRoutes } from './recovery/routes.ts';
import { notifyRoutes } from './notify/routes.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { exportRoutes } from './export/routes.ts';
import { defineRoute, inFolder, type Route } from './routing/route.ts';
import { setupRoutes } from './setup/routes.ts';
import { statusRoutes } from './status/routes.ts';
import { uploadRoutes } from './uploads/routes.ts';
import { promptRoutes } from './prompts/routes.ts';

const healthRoute = defineRoute({
  method: 'get', path: '/api/health', summary: 'Liveness', tag: 'meta', auth: 'public',
  response: z.object({ ok: z.literal(true) }), status: 200,
  handler: () => ({ ok: true as const }),
});

/** `extra`: routes built outside the context (the metrics, which read the database itself). */
export function apiRoutes(ctx: AppContext, extra: readonly Route[] = []): Route[] {
  const routes: Route[] = [
    healthRoute,
    ...extra,
    ...inFolder('channels', channelRoutes(ctx)),
    ...inFolder('posters', posterRoutes(ctx)),
    ...inFolder('intake', intakeRoutes(ctx)),
    ...inFolder('uploads', uploadRoutes(ctx)),
    ...inFolder('status', statusRoutes(ctx)),
    ...inFolder('auth', authRoutes(ctx)),
    ...inFolder('notify', notifyRoutes(ctx)),
    // Before caseRoutes: /api/cases/index must not be taken for a case id.
    ...inFolder('cases', caseIndexRoutes(ctx)),
    ...inFolder('cases', caseRoutes(ctx)),
    ...inFolder('cases', caseWorkRoutes(ctx)),
    ...inFolder('people', teamRoutes(ctx)),
    ...inFolder('retention', retentionRoutes(ctx)),
    ...inFolder('channels', channelAdminRoutes(ctx)),
    ...inFolder('invites', inviteRoutes(ctx)),
    ...inFolder('people', teamsRoutes(ctx)),
    ...inFolder('people', memberRoutes(ctx)),
    ...inFolder('recovery', recoveryRoutes(ctx)),
    ...inFolder('export', exportRoutes(ctx)),
    ...inFolder('audit', auditRoutes(ctx)),
    ...inFolder('setup', setupRoutes(ctx)),
    ...inFolder('prompts', promptRoutes(ctx)),
  ];
  routes.push(...inFolder('openapi', openApiRoutes(ctx, () => routes)));
  return routes;
}
