/**
 * Which keys a request body is encrypted to, read from its OpenPGP key
 * packets (PKESK, tag 1) without decrypting anything — so that a test can say
 * "nothing left the page encrypted to the attacker's key".
 *
 * A body may be raw OpenPGP (an upload), or JSON whose string fields hold
 * base64url OpenPGP: a whole message (`body`, `sealed`, `report`), a PKESK
 * alone (`pkesk` of a re-wrap), or an armored public key (which is not
 * encrypted to anyone and is skipped).
 */
import { fromBase64Url, toHex } from '../../../crypto/index.ts';

const TAG_PKESK = 1;

/** Key ids (16 lowercase hex) of the PKESK packets at the start of `bytes`; [] if it is not OpenPGP. */
export function pkeskKeyIds(bytes: Uint8Array): string[] {
  const ids: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const first = bytes[at]!;
    if ((first & 0x80) === 0) break;
    let tag: number;
    let bodyStart: number;
    let length: number;
    if (first & 0x40) {
      tag = first & 0x3f;
      const o1 = bytes[at + 1];
      if (o1 === undefined) break;
      if (o1 < 192) [bodyStart, length] = [at + 2, o1];
      else if (o1 < 224) [bodyStart, length] = [at + 3, ((o1 - 192) << 8) + (bytes[at + 2] ?? 0) + 192];
      else if (o1 === 255) {
        bodyStart = at + 6;
        length = ((bytes[at + 2]! << 24) >>> 0) + (bytes[at + 3]! << 16) + (bytes[at + 4]! << 8) + bytes[at + 5]!;
      } else break; // a partial length: the encrypted data, past the key packets
    } else {
      tag = (first >> 2) & 0x0f;
      const size = 1 << (first & 0x03);
      if ((first & 0x03) === 3) break;
      bodyStart = at + 1 + size;
      length = 0;
      for (let i = 0; i < size; i++) length = length * 256 + (bytes[at + 1 + i] ?? 0);
    }
    if (tag !== TAG_PKESK) break; // key packets come first; the rest is the encrypted data
    if (bytes[bodyStart] === 3) ids.push(toHex(bytes.subarray(bodyStart + 1, bodyStart + 9)));
    at = bodyStart + length;
  }
  return ids;
}

const B64URL = /^[A-Za-z0-9_-]{24,}={0,2}$/;

function idsInString(value: string): string[] {
  if (!B64URL.test(value)) return [];
  try {
    return pkeskKeyIds(fromBase64Url(value.replace(/=+$/, '')));
  } catch {
    return [];
  }
}

function walk(value: unknown, found: string[]): void {
  if (typeof value === 'string') found.push(...idsInString(value));
  else if (Array.isArray(value)) for (const item of value) walk(item, found);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) walk(item, found);
}

/** Every PKESK key id in a request body (raw OpenPGP, or JSON holding base64url OpenPGP), deduplicated. */
export function recipientKeyIds(body: Buffer | null | undefined): string[] {
  if (!body || body.length === 0) return [];
  const found = pkeskKeyIds(new Uint8Array(body));
  if (found.length === 0 && (body[0] === 0x7b || body[0] === 0x5b)) {
    try {
      walk(JSON.parse(body.toString('utf8')), found);
    } catch {
      // not JSON after all
    }
  }
  return [...new Set(found)];
}
