/**
 * GET /api/posters/:slug — what the printed poster and wallet cards of an
 * intake channel show (common/poster.ts), for deployment administrators: they
 * decide what hangs on a factory's notice board.
 *
 * The link is made here with common/channel-link.ts from the offered teams'
 * recovery fingerprints in the channel's order, exactly as every other place
 * makes it, so the QR code on paper pins the same keys the report form checks.
 */
import { z } from 'zod';
import { slug } from '../../common/api.ts';
import { channelLink } from '../../common/channel-link.ts';
import { WORKER_LANGUAGES } from '../../common/limits.ts';
import { PosterData } from '../../common/poster.ts';
import type { Channel, Team } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { assertDeploymentAdmin } from '../auth/policy.ts';
import { HttpError } from '../errors.ts';
import { defineRoute, type Route } from '../routing/route.ts';

/** The channel's worker languages that have poster texts, its default first; English if none is left. */
export function posterLanguages(channel: Pick<Channel, 'languages'>): string[] {
  const known = new Set<string>(WORKER_LANGUAGES);
  const languages = [...new Set(channel.languages)].filter((lang) => known.has(lang));
  return languages.length > 0 ? languages : ['en'];
}

export function presentPoster(channel: Channel, teams: readonly Team[], publicUrl: string, onionOrigin?: string): PosterData {
  const base = publicUrl.replace(/\/+$/, '');
  const fingerprints = teams.map((team) => team.recoveryFingerprint);
  return {
    slug: channel.slug,
    name: channel.name,
    languages: posterLanguages(channel),
    teams: teams.map((team) => ({
      name: team.name,
      role: channel.teams.find((entry) => entry.teamId === team.id)?.role ?? null,
      ackDays: team.ackDays,
      feedbackMonths: team.feedbackMonths,
      recoveryFingerprint: team.recoveryFingerprint.toLowerCase(),
    })),
    publicUrl: base,
    link: channelLink(base, channel.slug, fingerprints),
    statusUrl: `${base}/status`,
    onionLink: onionOrigin ? channelLink(onionOrigin, channel.slug, fingerprints) : null,
  };
}

export function posterRoutes(ctx: AppContext): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/posters/:slug', summary: 'What a channel’s printed poster and cards show', tag: 'channels',
      auth: 'investigator', params: z.object({ slug }), response: PosterData, status: 200,
      handler: ({ params, session }) => {
        assertDeploymentAdmin(session);
        const channel = ctx.repos.channels.find(params.slug);
        if (!channel) throw new HttpError(404, 'channel_not_found', 'no such intake channel: check the slug in the address');
        const teams = channel.teamIds.map((id) => ctx.repos.teams.find(id)).filter((team) => team !== undefined);
        if (teams.length === 0) {
          throw new HttpError(409, 'conflict', 'this channel offers no team: add a team to the channel before printing its poster');
        }
        // The worker pages' own origin when an independent host serves them (OMBUD_WORKER_ORIGIN).
        return presentPoster(channel, teams, ctx.config.workerOrigin ?? ctx.config.publicUrl, ctx.config.onionOrigin);
      },
    }),
  ];
}
