/** Invitations: administrators issue, list and withdraw links; invitees read and accept them. */
import {
  InviteAccepted, InviteAcceptRequest, InviteCreated, InviteInfo, InviteList, InviteParams, InviteRequest,
  InviteTokenRequest,
} from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { acceptInvite, createInvite, inviteInfo, pendingInvites, revokeInvite } from './invites.ts';

export function inviteRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/team/invites', summary: 'Invite someone to my team (administrators); the link is shown once',
      tag: 'team', auth: 'investigator', request: InviteRequest, response: InviteCreated, status: 201,
      handler: ({ session, body }) => createInvite(ctx, session, body),
    }),
    defineRoute({
      method: 'get', path: '/api/team/invites', summary: 'Pending invitations of my team (administrators)',
      tag: 'team', auth: 'investigator', response: InviteList, status: 200,
      handler: ({ session }) => ({ invites: pendingInvites(ctx, session) }),
    }),
    defineRoute({
      method: 'post', path: '/api/team/invites/:inviteId/revoke', summary: 'Withdraw a pending invitation (administrators)',
      tag: 'team', auth: 'investigator', params: InviteParams, response: null, status: 204,
      handler: ({ session, params }) => revokeInvite(ctx, session, params.inviteId),
    }),
    defineRoute({
      method: 'post', path: '/api/invites/info', summary: 'What an invitation link is for (the token in the body)',
      tag: 'team', auth: 'public', request: InviteTokenRequest, response: InviteInfo, status: 200,
      handler: ({ body }) => inviteInfo(ctx, body.token),
    }),
    defineRoute({
      method: 'post', path: '/api/invites/accept', summary: 'Accept an invitation: create my account with my browser-made keys',
      tag: 'team', auth: 'public', request: InviteAcceptRequest, response: InviteAccepted, status: 201,
      errorCodes: ['invalid_public_key'], // prepareAccount/describeKey: an unusable account key
      handler: ({ body }) => acceptInvite(ctx, body),
    }),
  ];
}
