/**
 * Base64url fields of request bodies, decoded with a 400 instead of a throw.
 * (zod has already checked the alphabet and the length limit.)
 *
 * Node's decoder (a tenth of the portable one's cost on a 6 KB report) is
 * lenient: it skips what is not base64url and ignores stray bits. So a text
 * is accepted only when it is the one canonical, unpadded encoding of the
 * bytes it decodes to: exactly what the strict fromBase64Url accepts
 * (encoding.test.ts compares the two on valid and broken texts).
 */
import { HttpError } from './errors.ts';

export function decodeField(field: string, value: string): Uint8Array {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.toString('base64url') !== value) {
    throw new HttpError(400, 'invalid_request', `${field}: not valid base64url`);
  }
  // A plain array of its own: a short Buffer may be a view into Node's shared pool.
  return new Uint8Array(bytes);
}

export { toBase64Url } from '../crypto/index.ts';
