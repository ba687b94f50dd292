/** Field formats every part of the API shares: ids, days, base64url, keys, the error body. */
import { z } from 'zod';
import { LIMITS, STAGES } from '../limits.ts';

/** Unpadded base64url of at most `maxBytes` bytes. */
export const b64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3))
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding');

/** Exactly 32 bytes, base64url: lookup ids and verifiers. */
export const secret32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes of base64url');

export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const stage = z.enum(STAGES);

export const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'lowercase letters, digits and dashes');

export const id = z.string().regex(/^[A-Za-z0-9_-]{16,32}$/);

export const armoredPublicKey = z
  .string()
  .max(LIMITS.publicKeyChars)
  .startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----');

export const ErrorBody = z.object({ error: z.string(), message: z.string() });

export type ErrorBody = z.infer<typeof ErrorBody>;

/** An opaque status binding (crypto/binding.ts: base64url "." base64url, at most 8192 characters). */
export const statusBinding = z.string().max(8192).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a status binding');

/** A v4 OpenPGP fingerprint, 40 lowercase hex digits (as a pinned link carries it). */
export const fingerprint = z.string().regex(/^[0-9a-f]{40}$/);

/** Error codes (`ErrorBody.error`) of this domain. Any endpoint: the request itself, the transport, a lost race. */
export const GENERAL_ERROR_CODES = [
  'invalid_request', 'malformed_json', 'body_too_large', 'unsupported_media_type', 'not_found', 'internal_error',
  'cross_origin', 'conflict',
] as const;
