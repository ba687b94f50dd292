/**
 * A deployment's own recordings of listen prompts (docs/protocol.md, "v2:
 * recorded prompts"; server/prompts/). The audio is Ogg Opus checked by
 * common/prompt-audio.ts; the signature is the administrator's, over
 * (lang, clip, sha256), and the worker's page checks it against its pins.
 */
import { z } from 'zod';

/** A clip id of a catalog text (`report.what#0`): never a day, a count or a digit, which stay built. */
export const RECORDED_CLIP = /^[A-Za-z][\w.-]{0,99}#\d{1,2}$/;
export const PROMPT_LANG = /^[a-z]{2,3}(-[A-Z]{2})?$/;

/** The header that carries the signature (base64 of the armored text) beside the raw audio of a PUT. */
export const PROMPT_SIGNATURE_HEADER = 'x-ombud-prompt-signature';
/** An armored detached signature by an Ed25519 or RSA-4096 key is well under this. */
export const PROMPT_SIGNATURE_MAX_CHARS = 4096;

export const PromptParams = z.object({ lang: z.string().regex(PROMPT_LANG), clip: z.string().max(120) });
export const PromptLangParams = z.object({ lang: z.string().regex(PROMPT_LANG) });
export const PromptAudioParams = z.object({ lang: z.string().regex(PROMPT_LANG), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const RecordedPrompt = z.object({
  clip: z.string(),
  sha256: z.string(),
  /** Armored detached signature over crypto/sign.ts promptStatement(lang, clip, sha256). */
  signature: z.string(),
  /** The signer's public key (the investigator key of the administrator who saved it). */
  signerKey: z.string(),
  /** Same origin, immutable: `/api/prompt-audio/<lang>/<sha256>`. */
  url: z.string(),
  savedAt: z.number().int(),
});
export const RecordedPrompts = z.object({ lang: z.string(), recordings: z.array(RecordedPrompt) });

export type RecordedPrompt = z.infer<typeof RecordedPrompt>;
export type RecordedPrompts = z.infer<typeof RecordedPrompts>;

/** Error codes (`ErrorBody.error`) of this domain. A deployment's own recordings. */
export const PROMPT_ERROR_CODES = [
  'prompt_not_audio', 'prompt_too_large', 'prompt_too_long', 'prompt_unknown_key', 'prompt_bad_signature', 'prompt_not_found',
] as const;
