/**
 * Pinned keys in the API: a team's members and their admission
 * (administrators of the team), founding new teams (deployment
 * administrators), and the founder's public link.
 */
import {
  AdmitRequest, DeploymentTeams, FoundingAccepted, FoundingAcceptRequest, FoundingCreated, FoundingInfo, FoundingParams,
  FoundingRequest, InviteTokenRequest, MemberParams, TeamMember, TeamMembers,
} from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { acceptFounding, createFounding, deploymentTeams, foundingInfo, revokeFounding } from './founding.ts';
import { admitMember, listMembers } from './admission.ts';

export function teamsRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/team/members', summary: 'Everyone in my team, pending or admitted (administrators)',
      tag: 'team', auth: 'investigator', response: TeamMembers, status: 200,
      handler: ({ session }) => listMembers(ctx, session),
    }),
    defineRoute({
      method: 'post', path: '/api/team/members/:memberId/admit',
      summary: "Admit a pending member: their key, certified in my browser by the team's recovery key (administrators)",
      tag: 'team', auth: 'investigator', params: MemberParams, request: AdmitRequest, response: TeamMember, status: 200,
      errorCodes: ['invalid_public_key'], // describeKey: an unusable member key
      handler: ({ session, params, body }) => admitMember(ctx, session, params.memberId, body.publicKey),
    }),
    defineRoute({
      method: 'get', path: '/api/teams', summary: "The deployment's teams and unused founding links (deployment administrators)",
      tag: 'team', auth: 'investigator', response: DeploymentTeams, status: 200,
      handler: ({ session }) => deploymentTeams(ctx, session),
    }),
    defineRoute({
      method: 'post', path: '/api/teams/foundings',
      summary: 'Found a new team: a single-use link for its first administrator, shown once (deployment administrators)',
      tag: 'team', auth: 'investigator', request: FoundingRequest, response: FoundingCreated, status: 201,
      handler: ({ session, body }) => createFounding(ctx, session, body),
    }),
    defineRoute({
      method: 'post', path: '/api/teams/foundings/:foundingId/revoke', summary: 'Withdraw an unused founding link (deployment administrators)',
      tag: 'team', auth: 'investigator', params: FoundingParams, response: null, status: 204,
      handler: ({ session, params }) => revokeFounding(ctx, session, params.foundingId),
    }),
    defineRoute({
      method: 'post', path: '/api/foundings/info', summary: 'What a founding link is for (the token in the body)',
      tag: 'team', auth: 'public', request: InviteTokenRequest, response: FoundingInfo, status: 200,
      handler: ({ body }) => foundingInfo(ctx, body.token),
    }),
    defineRoute({
      method: 'post', path: '/api/foundings/accept',
      summary: "Found the team: its recovery public key and my account, my key certified by the recovery key",
      tag: 'team', auth: 'public', request: FoundingAcceptRequest, response: FoundingAccepted, status: 201,
      errorDomains: ['intake'], // 400 invalid_public_key: a recovery or account key that is not a usable key
      handler: ({ body }) => acceptFounding(ctx, body),
    }),
  ];
}
