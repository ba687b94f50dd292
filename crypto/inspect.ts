/**
 * Packet inspection for the server: is this upload an OpenPGP encrypted
 * message, and to which key ids? It reads only packet headers (RFC 4880 §4,
 * RFC 9580 §4) and never decrypts or decompresses, so it is cheap and bounded
 * on hostile input.
 *
 * Accepted: one or more PKESK v3 packets (tag 1), each to a distinct,
 * non-wildcard key id, followed by exactly one SEIPD v1 packet (tag 18) that
 * ends exactly where the input ends. Anything else — a literal or compressed
 * packet (plaintext), AEAD packets, marker packets, symmetric-key (password)
 * packets, trailing data, truncation — is refused.
 */
import { toHex } from './encoding.ts';

/**
 * The most key packets inspection reads before refusing: 4 teams a report may
 * go to × 64 recipients each (common/limits.ts teamsPerReport ×
 * recipientsPerMessage, which bounds a team's investigators + its recovery
 * key) + the reporter = 257, well above what a stored message reaches, even
 * after re-wraps add later members. A test in server/uploads pins it to the
 * limits. Reading stops here, BEFORE collecting more: 2.2 million key packets
 * (26 MiB) used to build arrays of hundreds of MiB.
 */
export const MAX_RECIPIENTS = 4 * 64 + 1;

export type Inspection = { ok: true; recipientKeyIds: string[] } | { ok: false; reason: string };

const TAG_PKESK = 1;
const TAG_SEIPD = 18;

export interface Header {
  tag: number;
  /** Offset of the body's first byte. */
  bodyStart: number;
  /** Body length, or -1 for partial (streamed) lengths. */
  length: number;
  partialFirst?: number;
}

/** One packet header at `at` (old or new format), or why it cannot be read. Also used by ./key-inspect.ts. */
export function readPacketHeader(bytes: Uint8Array, at: number): Header | string {
  const first = bytes[at];
  if (first === undefined || (first & 0x80) === 0) return 'not an OpenPGP packet';
  if (first & 0x40) {
    const tag = first & 0x3f;
    const o1 = bytes[at + 1];
    if (o1 === undefined) return 'truncated packet header';
    if (o1 < 192) return { tag, bodyStart: at + 2, length: o1 };
    if (o1 < 224) {
      const o2 = bytes[at + 2];
      if (o2 === undefined) return 'truncated packet header';
      return { tag, bodyStart: at + 3, length: ((o1 - 192) << 8) + o2 + 192 };
    }
    if (o1 === 255) {
      if (at + 6 > bytes.length) return 'truncated packet header';
      const length = ((bytes[at + 2]! << 24) >>> 0) + (bytes[at + 3]! << 16) + (bytes[at + 4]! << 8) + bytes[at + 5]!;
      return { tag, bodyStart: at + 6, length };
    }
    return { tag, bodyStart: at + 2, length: -1, partialFirst: 1 << (o1 & 0x1f) };
  }
  const tag = (first >> 2) & 0x0f;
  const lengthType = first & 0x03;
  if (lengthType === 3) return 'indeterminate packet length';
  const size = 1 << lengthType;
  if (at + 1 + size > bytes.length) return 'truncated packet header';
  let length = 0;
  for (let i = 0; i < size; i++) length = length * 256 + bytes[at + 1 + i]!;
  return { tag, bodyStart: at + 1 + size, length };
}

/** Walks a partial-length body to its end; returns the end offset or an error. */
function partialBodyEnd(bytes: Uint8Array, header: Header): number | string {
  let at = header.bodyStart + header.partialFirst!;
  for (;;) {
    if (at > bytes.length) return 'truncated message';
    const o1 = bytes[at];
    if (o1 === undefined) return 'truncated message';
    if (o1 < 192) return at + 1 + o1;
    if (o1 < 224) {
      const o2 = bytes[at + 1];
      if (o2 === undefined) return 'truncated message';
      return at + 2 + ((o1 - 192) << 8) + o2 + 192;
    }
    if (o1 === 255) {
      if (at + 5 > bytes.length) return 'truncated message';
      return at + 5 + ((bytes[at + 1]! << 24) >>> 0) + (bytes[at + 2]! << 16) + (bytes[at + 3]! << 8) + bytes[at + 4]!;
    }
    at += 1 + (1 << (o1 & 0x1f));
  }
}

export function inspectMessage(bytes: Uint8Array): Inspection {
  const keyIds: string[] = [];
  // A Set, not keyIds.includes: a hostile message can hold 100 000s of key packets (quadratic = minutes of CPU).
  const seen = new Set<string>();
  let at = 0;
  while (at < bytes.length) {
    const header = readPacketHeader(bytes, at);
    if (typeof header === 'string') return { ok: false, reason: header };
    if (header.tag === TAG_PKESK) {
      if (header.length < 0) return { ok: false, reason: 'a key packet may not be streamed' };
      const end = header.bodyStart + header.length;
      if (end > bytes.length) return { ok: false, reason: 'truncated key packet' };
      if (header.length < 10 || bytes[header.bodyStart] !== 3) return { ok: false, reason: 'unsupported key packet version' };
      const keyId = toHex(bytes.subarray(header.bodyStart + 1, header.bodyStart + 9));
      if (keyId === '0000000000000000') return { ok: false, reason: 'anonymous recipients are not accepted' };
      if (seen.has(keyId)) return { ok: false, reason: 'a recipient is named twice' };
      if (keyIds.length >= MAX_RECIPIENTS) return { ok: false, reason: `more than ${MAX_RECIPIENTS} recipients` };
      seen.add(keyId);
      keyIds.push(keyId);
      at = end;
      continue;
    }
    if (header.tag === TAG_SEIPD) {
      if (keyIds.length === 0) return { ok: false, reason: 'the message has no recipients' };
      if (bytes[header.bodyStart] !== 1) return { ok: false, reason: 'unsupported encrypted data version' };
      const end = header.length < 0 ? partialBodyEnd(bytes, header) : header.bodyStart + header.length;
      if (typeof end === 'string') return { ok: false, reason: end };
      if (end !== bytes.length) return { ok: false, reason: end > bytes.length ? 'truncated message' : 'data after the message' };
      // version byte + at least one cipher block + MDC packet (22 bytes)
      if (end - header.bodyStart < 1 + 16 + 22) return { ok: false, reason: 'encrypted data is too short' };
      return { ok: true, recipientKeyIds: keyIds };
    }
    return { ok: false, reason: `packet type ${header.tag} is not allowed (not an encrypted message)` };
  }
  return { ok: false, reason: keyIds.length ? 'the message has no encrypted data' : 'empty message' };
}
