/** The first administrator (server/setup/). */
import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { armoredPublicKey, id, slug } from './fields.ts';
import { KdfParams, newAccount, username } from './accounts.ts';

export const SetupState = z.object({ needed: z.boolean(), kdf: KdfParams });

export const SetupRequest = z.strictObject({
  setupToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  team: z.strictObject({
    name: z.string().trim().min(1).max(LIMITS.teamNameChars),
    recoveryPublicKey: armoredPublicKey,
  }),
  admin: z.strictObject({ username, ...newAccount }),
  channel: z.strictObject({ name: z.string().trim().min(1).max(LIMITS.channelNameChars), slug }),
});

export const SetupDone = z.object({
  teamId: id, channelSlug: slug, reportPath: z.string(),
  /** The independent origin of the worker pages (OMBUD_WORKER_ORIGIN), when there is one: the report link is shown on it. */
  workerOrigin: z.string().optional(),
});

export type SetupState = z.infer<typeof SetupState>;

export type SetupRequest = z.infer<typeof SetupRequest>;

export type SetupDone = z.infer<typeof SetupDone>;

/** Error codes (`ErrorBody.error`) of this domain. The first administrator. */
export const SETUP_ERROR_CODES = [
  'setup_link_invalid', 'setup_link_used', 'setup_link_expired', 'already_set_up',
] as const;
