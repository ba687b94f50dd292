/**
 * What the report form and the information page need to know about a
 * channel: its languages, its teams (which are ticked for the worker, and
 * every key a report to each must be encrypted to) and its local
 * information. The form checks the keys against the recovery fingerprints
 * pinned in its URL fragment, so a server that swapped keys would be caught
 * in the browser. Fields: ./presenter.ts.
 */
import { z } from 'zod';
import { ChannelInfo, slug } from '../../common/api.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { presentPublicChannel } from './presenter.ts';

export function channelRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/channels/:slug', summary: 'An intake channel, its teams and their keys', tag: 'intake',
      auth: 'public', params: z.object({ slug }), response: ChannelInfo, status: 200,
      handler: ({ params }) => {
        const channel = ctx.repos.channels.find(params.slug);
        if (!channel) throw new HttpError(404, 'channel_not_found', 'no such intake channel');
        return presentPublicChannel(ctx.repos, channel);
      },
    }),
  ];
}
