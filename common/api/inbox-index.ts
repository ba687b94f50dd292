/** The inbox index (docs/protocol.md, "Inbox index"; server/cases/index-routes.ts). */
import { z } from 'zod';
import { b64, id } from './fields.ts';

/* The inbox index (docs/protocol.md, "Inbox index"). */
/** A sealed team index key: an OpenPGP message of a 32-byte key, well under this. */
const INDEX_KEY_SEALED_BYTES = 64 * 1024;

/** An index entry: AES-GCM IV ‖ 1024 padded bytes ‖ tag (crypto INDEX_ENTRY_BYTES). */
export const INDEX_ENTRY_SIZE = 12 + 1024 + 16;

export const IndexKeyState = z.object({
  /** null: the team has no index key yet; make one. */
  key: z.object({ version: z.number().int().positive(), sealed: z.string() }).nullable(),
  /** The team's current investigators' and recovery keys: the key must be sealed to exactly these. */
  recipientKeys: z.array(z.string()),
  /** false when the team changed since the key was sealed: a holder should seal it again to `recipientKeys`. */
  current: z.boolean(),
});

export const IndexKeyRequest = z.strictObject({
  /** 0 to create the team's first key; else the version being sealed again (the same key). */
  version: z.number().int().min(0),
  sealed: b64(INDEX_KEY_SEALED_BYTES).min(1),
});

export const IndexEntryRequest = z.strictObject({
  version: z.number().int().positive(),
  entry: b64(INDEX_ENTRY_SIZE).min(1),
});

export const IndexEntries = z.object({
  /** The current key version; entries sealed under another are left out (stale). */
  version: z.number().int().positive().nullable(),
  caseIds: z.array(id),
  /**
   * The entries of `caseIds`, in that order, each INDEX_ENTRY_SIZE bytes, as
   * one base64url string: one string instead of ten thousand keeps the
   * response quick to build, check and read.
   */
  entries: z.string(),
});

export type IndexKeyState = z.infer<typeof IndexKeyState>;

export type IndexKeyRequest = z.infer<typeof IndexKeyRequest>;

export type IndexEntryRequest = z.infer<typeof IndexEntryRequest>;

export type IndexEntries = z.infer<typeof IndexEntries>;
