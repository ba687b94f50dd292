/**
 * Intake channels, set up by deployment administrators (the administrators
 * of the team created at first setup: assertDeploymentAdmin). Everything a
 * channel holds is public — the report form and the information page show
 * it — so it is stored in the clear; the workspace form says so.
 *
 *   GET  /api/admin/channels          every channel, with its teams' recovery fingerprints (the link's pins)
 *   POST /api/admin/channels          a new channel (409 `channel_slug_taken`)
 *   PUT  /api/admin/channels/:slug    new settings; the slug stays (it is on the posters).
 *                                     `pinsChanged`: the offered teams changed, so did the link
 *   GET  /api/admin/channel-teams     the teams a channel may offer, for the picker
 *
 * Refusals beyond the shape: ./rules.ts. Each change is audited
 * (`channel.created`, `channel.changed`: the slug and team ids, no text).
 */
import { AdminChannelList, ChannelCreateRequest, ChannelSaved, ChannelSettingsRequest, ChannelSlugParams, ChannelTeamChoices } from '../../common/api.ts';
import type { Channel } from '../../db/index.ts';
import { assertDeploymentAdmin } from '../auth/policy.ts';
import { dayOf } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { defineRoute, type Route } from '../routing/route.ts';
import { presentAdminChannel, presentTeamChoice } from './presenter.ts';
import { checkedSettings, samePins } from './rules.ts';

export function channelAdminRoutes(ctx: AppContext): Route[] {
  const { repos, audit } = ctx;
  const pinsOf = (channel: Channel) => channel.teamIds.map((id) => repos.teams.find(id)?.recoveryFingerprint ?? id);
  return [
    defineRoute({
      method: 'get', path: '/api/admin/channels', summary: 'Every intake channel (deployment administrators)', tag: 'admin',
      auth: 'investigator', response: AdminChannelList, status: 200,
      handler: ({ session }) => {
        assertDeploymentAdmin(session);
        const channels = repos.channels.list().map((channel) => presentAdminChannel(repos, channel));
        return ctx.config.workerOrigin ? { channels, workerOrigin: ctx.config.workerOrigin } : { channels };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/admin/channel-teams', summary: 'The teams a channel may offer (deployment administrators)', tag: 'admin',
      auth: 'investigator', response: ChannelTeamChoices, status: 200,
      handler: ({ session }) => {
        assertDeploymentAdmin(session);
        return { teams: repos.teams.list().map((team) => presentTeamChoice(repos, team)) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/admin/channels', summary: 'Create an intake channel (deployment administrators)', tag: 'admin',
      auth: 'investigator', request: ChannelCreateRequest, response: ChannelSaved, status: 201,
      handler: ({ session, body }) => {
        assertDeploymentAdmin(session);
        const settings = checkedSettings(repos, body);
        const channel = repos.transaction(() => {
          if (repos.channels.find(body.slug)) {
            throw new HttpError(409, 'channel_slug_taken', `the address /r/${body.slug} is taken; choose another`);
          }
          const created = repos.channels.create({ slug: body.slug, createdDay: dayOf(ctx.clock.now()), ...settings });
          audit.investigator('channel.created', session.investigator.id, null, { channel: created.slug, teams: created.teamIds.join(',') });
          return created;
        });
        return { channel: presentAdminChannel(repos, channel), pinsChanged: false };
      },
    }),
    defineRoute({
      method: 'put', path: '/api/admin/channels/:slug', summary: 'Change an intake channel (deployment administrators)', tag: 'admin',
      auth: 'investigator', params: ChannelSlugParams, request: ChannelSettingsRequest, response: ChannelSaved, status: 200,
      handler: ({ session, params, body }) => {
        assertDeploymentAdmin(session);
        const settings = checkedSettings(repos, body);
        return repos.transaction(() => {
          const before = repos.channels.find(params.slug);
          if (!before) throw new HttpError(404, 'channel_not_found', 'no such intake channel');
          const after = repos.channels.update(params.slug, settings, dayOf(ctx.clock.now()));
          const pinsChanged = !samePins(pinsOf(before), pinsOf(after));
          audit.investigator('channel.changed', session.investigator.id, null, { channel: after.slug, teams: after.teamIds.join(','), pinsChanged });
          return { channel: presentAdminChannel(repos, after), pinsChanged };
        });
      },
    }),
  ];
}
