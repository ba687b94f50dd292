/** Team recovery with the offline recovery key (public: whoever holds the key). */
import { RecoveryChallenge, RecoveryDone, RecoveryRequest } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { issueRecoveryChallenge } from './challenge.ts';
import { recoverTeam } from './recover.ts';

export function recoveryRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/recovery/challenge', summary: 'A single-use challenge (10 minutes) to sign with a team recovery key',
      tag: 'team', auth: 'public', response: RecoveryChallenge, status: 200,
      handler: () => issueRecoveryChallenge(ctx),
    }),
    defineRoute({
      method: 'post', path: '/api/recovery', summary: 'Prove possession of the team recovery key and create a new administrator',
      tag: 'team', auth: 'public', request: RecoveryRequest, response: RecoveryDone, status: 201,
      errorCodes: ['invalid_public_key'], // prepareAccount/describeKey: an unusable new account key
      handler: ({ req, body }) => recoverTeam(ctx, req, body),
    }),
  ];
}
