/** Byte encodings shared by the browser and Node, with no dependency. */
import { CryptoInputError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
/** The standard alphabet (RFC 4648 §4): `+` and `/` where base64url has `-` and `_`. */
const LOOKUP_STANDARD = LOOKUP.slice();
LOOKUP_STANDARD['-'.charCodeAt(0)] = -1;
LOOKUP_STANDARD['_'.charCodeAt(0)] = -1;
LOOKUP_STANDARD['+'.charCodeAt(0)] = 62;
LOOKUP_STANDARD['/'.charCodeAt(0)] = 63;

/** Unpadded base64url (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/** Strict inverse of toBase64Url: throws CryptoInputError on any other input. */
export function fromBase64Url(text: string): Uint8Array {
  return decode(text, text.length, LOOKUP, 'base64url');
}

/**
 * Padded base64 in the standard alphabet (RFC 4648 §4), as OpenPGP's armor
 * writes it: a length that is a multiple of four, at most two `=` and only at
 * the end, no stray bits. Throws CryptoInputError on anything else.
 */
export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new CryptoInputError('base64 text has an impossible length');
  let end = text.length;
  while (end > text.length - 2 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  return decode(text, end, LOOKUP_STANDARD, 'base64');
}

function decode(text: string, end: number, lookup: Int16Array, what: string): Uint8Array {
  if (end % 4 === 1) throw new CryptoInputError(`${what} text has an impossible length`);
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let value = 0;
  let j = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? lookup[code]! : -1;
    if (digit < 0) throw new CryptoInputError(`text is not ${what}`);
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (value >> bits) & 0xff;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) throw new CryptoInputError(`${what} text has stray bits`);
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CryptoInputError('bytes are not UTF-8');
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Overwrite a secret in place; the best a garbage-collected language allows. */
export function wipe(bytes: Uint8Array | undefined): void {
  bytes?.fill(0);
}
