/**
 * What the report form needs to know about a channel: its teams and every
 * key a report to each must be encrypted to. The form checks these keys
 * against the recovery fingerprint pinned in its URL fragment, so a server
 * that swapped keys would be caught in the browser.
 */
import { z } from 'zod';
import { ChannelInfo, slug } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { teamRecipients } from '../recipients/recipients.ts';
import { defineRoute, type Route } from '../routing/route.ts';

export function channelRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/channels/:slug', summary: 'An intake channel, its teams and their keys', tag: 'intake',
      auth: 'public', params: z.object({ slug }), response: ChannelInfo, status: 200,
      handler: ({ params }) => {
        const channel = ctx.repos.channels.find(params.slug);
        if (!channel) throw new HttpError(404, 'channel_not_found', 'no such intake channel');
        const teams = channel.teamIds.map((id) => ctx.repos.teams.find(id)).filter((t) => t !== undefined);
        return {
          slug: channel.slug,
          name: channel.name,
          teams: teams.map((team) => ({
            id: team.id,
            name: team.name,
            recipientKeys: teamRecipients(ctx.repos, [team.id]).map((k) => k.armored),
          })),
          acknowledgeDays: teams.length ? Math.min(...teams.map((t) => t.ackDays)) : 7,
        };
      },
    }),
  ];
}
