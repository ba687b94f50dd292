/**
 * What a printed poster or wallet card of an intake channel needs, as the
 * admin-only route GET /api/posters/:slug answers it (server/posters/), and
 * the poster page (client/team/poster/) reads it.
 *
 * Everything here is printed on paper hung in a factory, so nothing here is
 * secret: the channel's name and languages, the offered teams with their
 * deadlines, and the fingerprints of their recovery keys (which the QR code
 * carries anyway). The route is still for deployment administrators only:
 * they decide what goes on the notice board.
 *
 * Kept beside common/api.ts rather than in it so that the poster's schema
 * has one owner.
 */
import { z } from 'zod';
import { FINGERPRINT } from './channel-link.ts';
import { CHANNEL_TEAM_ROLES } from './limits.ts';

export const PosterTeam = z.object({
  name: z.string(),
  /** What the team is to this channel's workers (the poster says it in their language), or null. */
  role: z.enum(CHANNEL_TEAM_ROLES).nullable(),
  /** The acknowledgement is due this many days after receipt. */
  ackDays: z.number().int().positive(),
  /** Feedback to the reporter is due this many months after acknowledgement. */
  feedbackMonths: z.number().int().positive(),
  /** 40 lowercase hex: the team's offline recovery key, pinned by the link. */
  recoveryFingerprint: z.string().regex(FINGERPRINT),
});

export const PosterData = z.object({
  slug: z.string(),
  name: z.string(),
  /** The channel's worker languages (BCP 47 tags of the worker catalogs), first = main. */
  languages: z.array(z.string()).min(1),
  /** The offered teams, in the channel's order (the order of the pins). */
  teams: z.array(PosterTeam).min(1),
  /** config.publicUrl, without a trailing slash. */
  publicUrl: z.string(),
  /** The pinned report link, exactly as common/channel-link.ts makes it: the QR code's content. */
  link: z.string(),
  /** Where a reporter comes back with the case number. */
  statusUrl: z.string(),
  /**
   * The same pinned link on the onion address (OMBUD_EXTRA_ORIGINS), printed
   * as a second, smaller line; null when none is configured. Display only:
   * the pins in it are what protect the worker, as in `link`.
   */
  onionLink: z.string().nullable(),
});

export type PosterTeam = z.infer<typeof PosterTeam>;
export type PosterData = z.infer<typeof PosterData>;
