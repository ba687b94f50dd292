/** First-run setup, reachable only with the link printed by the server at first start. */
import { SetupDone, SetupRequest, SetupState } from '../../common/api.ts';
import { PASSWORD_KDF_PARAMS } from '../config.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { completeSetup } from './complete.ts';

export function setupRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/setup', summary: 'Whether first-run setup is still needed', tag: 'setup',
      auth: 'public', response: SetupState, status: 200,
      handler: () => ({ needed: !ctx.repos.investigators.adminExists(), kdf: { ...PASSWORD_KDF_PARAMS } }),
    }),
    defineRoute({
      method: 'post', path: '/api/setup', summary: 'Create the first team, administrator and channel', tag: 'setup',
      auth: 'setup', request: SetupRequest, response: SetupDone, status: 201,
      handler: ({ body }) => completeSetup(ctx, body),
    }),
  ];
}
