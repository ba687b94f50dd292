/** Giving a member access to earlier cases, and removing a member (administrators of the team). */
import { MemberParams, MemberRemoved, SharePage, ShareRequest, ShareResult } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { removeMember } from './remove.ts';
import { shareItems, sharePage } from './share.ts';

export function memberRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/team/members/:memberId/share',
      summary: "Key packets of my team's ciphertexts the member cannot read yet, a page at a time (`?after=`; administrators)",
      tag: 'team', auth: 'investigator', params: MemberParams, response: SharePage, status: 200,
      handler: ({ session, params, req }) => sharePage(ctx, session, params.memberId, req.query['after']),
    }),
    defineRoute({
      method: 'post', path: '/api/team/members/:memberId/share',
      summary: 'Add one key packet (PKESK, made in my browser) for the member to each listed ciphertext (administrators)',
      tag: 'team', auth: 'investigator', params: MemberParams, request: ShareRequest, response: ShareResult, status: 200,
      handler: ({ session, params, body }) => shareItems(ctx, session, params.memberId, body),
    }),
    defineRoute({
      method: 'post', path: '/api/team/members/:memberId/remove',
      summary: 'Remove a member: disabled, every session ended, no recipient of anything new (administrators)',
      tag: 'team', auth: 'investigator', params: MemberParams, response: MemberRemoved, status: 200,
      handler: ({ session, params }) => removeMember(ctx, session, params.memberId),
    }),
  ];
}
