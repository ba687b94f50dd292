/** Intake channels: what a report form reads about its channel (public), and what deployment administrators set (server/channels/). Everything here is public and stored in the clear. */
import { z } from 'zod';
import { CHANNEL_LIMITS, CHANNEL_TEAM_ROLES, LIMITS, WORKER_LANGUAGES } from '../limits.ts';
import { armoredPublicKey, day, id, slug } from './fields.ts';

export const ChannelTeam = z.object({
  id,
  name: z.string(),
  /** Every key a report to this team must be encrypted to: investigators and the recovery key. */
  recipientKeys: z.array(armoredPublicKey),
  /**
   * The team's offline recovery key: the report form refuses the team unless
   * its fingerprint is pinned in the link (docs/protocol.md, "Pinned keys").
   */
  recoveryKey: armoredPublicKey,
  /** The admitted investigators' keys, each certified by `recoveryKey`; with it, exactly `recipientKeys`. */
  investigatorKeys: z.array(armoredPublicKey),
  /** The form ticks this team for the worker (who may untick it, keeping at least one). */
  preselected: z.boolean(),
  /** What the team is to this channel's workers, said on the form in the worker's language; null: nothing said. */
  role: z.enum(CHANNEL_TEAM_ROLES).nullable(),
  /** A short note beside the team, as the administrator wrote it ('' for none). */
  note: z.string(),
  /**
   * The team's name in worker languages, each signed by one of its investigators (crypto/team-name.ts);
   * the form shows one only when its signature checks against `investigatorKeys` as it checked them.
   */
  names: z.array(z.object({ lang: z.string(), name: z.string(), signature: z.string() })).optional(),
});

export const ChannelInfo = z.object({
  slug,
  name: z.string(),
  teams: z.array(ChannelTeam),
  acknowledgeDays: z.number().int(),
  /** The languages this channel's workers read, the default first (common/limits.ts WORKER_LANGUAGES). */
  languages: z.array(z.enum(WORKER_LANGUAGES)),
  /** Local information for the information page, public and in the clear: who runs this channel… */
  runBy: z.string(),
  /** …other places to report (the labour inspectorate, an NGO hotline)… */
  contacts: z.array(z.object({ name: z.string(), reach: z.string(), note: z.string() })),
  /** …and anything else, free text ('' for none). */
  notes: z.string(),
});

export type ChannelInfo = z.infer<typeof ChannelInfo>;

// Everything here is public (the report form and the information page show it) and stored in the clear.
const publicText = (max: number) => z.string().trim().max(max);

export const ChannelContactInput = z.strictObject({
  name: z.string().trim().min(1).max(CHANNEL_LIMITS.contactNameChars),
  reach: z.string().trim().min(1).max(CHANNEL_LIMITS.contactReachChars),
  note: publicText(CHANNEL_LIMITS.contactNoteChars).default(''),
});

export const ChannelTeamInput = z.strictObject({
  teamId: id,
  role: z.enum(CHANNEL_TEAM_ROLES).nullable().default(null),
  note: publicText(CHANNEL_LIMITS.teamNoteChars).default(''),
});

export const ChannelSettingsRequest = z.strictObject({
  name: z.string().trim().min(1).max(LIMITS.channelNameChars),
  /** The languages of this channel's workers, the default first; each once. */
  languages: z.array(z.enum(WORKER_LANGUAGES)).min(1).max(WORKER_LANGUAGES.length),
  /** The teams offered, in the form's order: at least one (400 `no_team_offered`), each once, each existing (400 `team_not_found`). */
  teams: z.array(ChannelTeamInput).max(CHANNEL_LIMITS.teams),
  /** Ticked on the form for the worker: one or more of `teams` (400 `no_team_preselected`, `preselected_not_offered`). */
  preselected: z.array(id).max(CHANNEL_LIMITS.teams),
  runBy: publicText(CHANNEL_LIMITS.runByChars).default(''),
  contacts: z.array(ChannelContactInput).max(CHANNEL_LIMITS.contacts).default([]),
  notes: publicText(CHANNEL_LIMITS.notesChars).default(''),
});

/** A new channel: its slug is in its link and on every poster, so it cannot be changed later (409 `channel_slug_taken`). */
export const ChannelCreateRequest = ChannelSettingsRequest.extend({ slug });

export const ChannelSlugParams = z.object({ slug });

export const AdminChannel = z.object({
  slug,
  name: z.string(),
  languages: z.array(z.enum(WORKER_LANGUAGES)),
  teams: z.array(z.object({
    id,
    name: z.string(),
    /** 40 lowercase hex digits: this team's pin in the channel's link. */
    recoveryFingerprint: z.string(),
    preselected: z.boolean(),
    role: z.enum(CHANNEL_TEAM_ROLES).nullable(),
    note: z.string(),
  })),
  runBy: z.string(),
  contacts: z.array(z.object({ name: z.string(), reach: z.string(), note: z.string() })),
  notes: z.string(),
  createdDay: day,
  changedDay: day.nullable(),
});

export const AdminChannelList = z.object({
  channels: z.array(AdminChannel),
  /**
   * The independent origin that serves the worker pages (OMBUD_WORKER_ORIGIN), when there is one:
   * the pinned links the workspace shows point there instead of to the workspace's own origin.
   */
  workerOrigin: z.string().optional(),
});

export const ChannelSaved = z.object({
  channel: AdminChannel,
  /** The offered teams changed: the pinned link changed with them, so posters and cards must be printed again. */
  pinsChanged: z.boolean(),
});

/** The teams a channel may offer, for the administrator's picker. */
export const ChannelTeamChoices = z.object({
  teams: z.array(z.object({
    id,
    name: z.string(),
    recoveryFingerprint: z.string(),
    /** Active investigators: a team with none can receive reports only through its offline recovery key. */
    investigators: z.number().int().nonnegative(),
  })),
});

export type ChannelSettingsRequest = z.input<typeof ChannelSettingsRequest>;

export type ChannelCreateRequest = z.input<typeof ChannelCreateRequest>;

export type AdminChannel = z.infer<typeof AdminChannel>;

export type AdminChannelList = z.infer<typeof AdminChannelList>;

export type ChannelSaved = z.infer<typeof ChannelSaved>;

export type ChannelTeamChoices = z.infer<typeof ChannelTeamChoices>;

/** Error codes (`ErrorBody.error`) of this domain. Reading a channel, and channels set up by deployment administrators. */
export const CHANNEL_ERROR_CODES = [
  'channel_not_found', 'channel_slug_taken', 'team_not_found', 'no_team_offered', 'team_listed_twice',
  'no_team_preselected', 'preselected_not_offered', 'language_listed_twice',
] as const;
