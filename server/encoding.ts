/**
 * Base64url fields of request bodies, decoded with a 400 instead of a throw.
 * (zod has already checked the alphabet and the length limit.)
 */
import { fromBase64Url } from '../crypto/index.ts';
import { HttpError } from './errors.ts';

export function decodeField(field: string, value: string): Uint8Array {
  try {
    return fromBase64Url(value);
  } catch {
    throw new HttpError(400, 'invalid_request', `${field}: not valid base64url`);
  }
}

export { toBase64Url } from '../crypto/index.ts';
