/**
 * What intake needs of a reporter's public key — its fingerprint and the key
 * id of its one encryption subkey — read from the packets themselves, without
 * openpgp.js: dearmor (with the CRC-24 when present), walk the packet headers
 * (the bounded reader of ./inspect.ts), hash the primary key and the subkeys
 * (RFC 4880 §12.2: SHA-1 over 0x99, a two-octet length and the key packet's
 * body; the key id is its last eight octets).
 *
 * Why: a full `openpgp.readKey` parses every MPI, signature and user id, and
 * was a quarter of a report's CPU on the server (docs/performance.md). The
 * answer is the same as describePublicKey's with `verifySignatures: false`
 * (./keys.ts) on every key that function accepts — key-inspect.test.ts checks
 * it against openpgp.js and GnuPG keys — and the refusals are at least as
 * strict: one v4 public primary key that is not itself an encryption key,
 * exactly one encryption subkey, nothing secret, nothing streamed, nothing
 * after the last packet, no unknown packet types. Signatures are not checked,
 * as before: a broken reporter key can only stop that reporter's own replies,
 * and the team's browser verifies it before it encrypts to it.
 */
import { createSHA1 } from 'hash-wasm';
import { fromBase64, toHex } from './encoding.ts';
import { CryptoInputError } from './errors.ts';
import type { PublicKeyInfo } from './keys.ts';
import { readPacketHeader } from './inspect.ts';

const BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const END = '-----END PGP PUBLIC KEY BLOCK-----';

const TAG = { signature: 2, secretKey: 5, publicKey: 6, secretSubkey: 7, userId: 13, publicSubkey: 14, userAttribute: 17 } as const;
/** Packets a transferable public key may hold besides its keys (RFC 9580 §10.1); trust packets (12) too, as GnuPG exports may. */
const ALLOWED = new Set<number>([TAG.signature, TAG.publicKey, TAG.userId, TAG.publicSubkey, TAG.userAttribute, 12]);
/** Public-key algorithm ids that encrypt: RSA (1, 2), Elgamal (16), ECDH (18), X25519 (25), X448 (26). */
const ENCRYPTING = new Set([1, 2, 16, 18, 25, 26]);
/** More packets than any honest key has: primary, a few user ids, subkeys and their signatures. */
const MAX_PACKETS = 64;

let sharedHasher: ReturnType<typeof createSHA1> | undefined;
const hasher = () => (sharedHasher ??= createSHA1());

/** A line of the armor without its line end (`\n` or `\r\n`: `ended`) and without trailing blanks. */
function armorLine(line: string, ended: boolean): string {
  let end = line.length;
  if (ended && end > 0 && line.charCodeAt(end - 1) === 13 /* \r */) end--;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return end === line.length ? line : line.slice(0, end);
}

const ARMOR_HEADER = /^[A-Za-z0-9-]+: /;

/**
 * The base64 body of an ASCII-armored public key block, checked against its CRC-24 if it has one.
 * Every report's key passes here, so it reads the lines once, with no pattern but the armor
 * headers' and no copy of the body but the one it decodes (docs/performance.md).
 */
export function dearmorPublicKey(armored: string): Uint8Array {
  const lines = armored.split('\n');
  for (let i = 0; i < lines.length; i++) lines[i] = armorLine(lines[i]!, i < lines.length - 1);
  let last = lines.length - 1;
  while (last >= 0 && lines[last] === '') last--;
  if (lines[0] !== BEGIN) throw new CryptoInputError('not an OpenPGP public key');
  if (last < 1 || lines[last] !== END) throw new CryptoInputError('the public key block has no end line');
  let at = 1;
  // Armor headers ("Comment: …", "Version: …") up to the blank line.
  while (at < last && lines[at] !== '') {
    if (!ARMOR_HEADER.test(lines[at]!)) {
      // No header and no blank line is tolerated (some tools omit it), as openpgp.js does.
      if (at === 1) break;
      throw new CryptoInputError('the public key block has a malformed header');
    }
    at++;
  }
  if (lines[at] === '') at++;
  let bodyEnd = last; // exclusive: the end line
  let crc: string | undefined;
  if (bodyEnd > at && lines[bodyEnd - 1]!.startsWith('=')) crc = lines[--bodyEnd]!.slice(1);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(lines.slice(at, bodyEnd).join(''));
  } catch {
    throw new CryptoInputError('the public key block is not base64');
  }
  if (crc !== undefined) {
    const malformed = () => new CryptoInputError('the public key block has a malformed checksum');
    if (crc.length !== 4 || crc.includes('=')) throw malformed();
    let sum: Uint8Array;
    try {
      sum = fromBase64(crc);
    } catch {
      throw malformed();
    }
    if (((sum[0]! << 16) | (sum[1]! << 8) | sum[2]!) !== crc24(bytes)) throw new CryptoInputError('the public key block fails its checksum');
  }
  return bytes;
}

/** RFC 4880 §6.1's CRC-24, a byte at a time from a table of the 256 one-byte steps (the bit loop was most of dearmor's cost). */
const CRC24_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
    table[n] = crc & 0xffffff;
  }
  return table;
})();

function crc24(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xffffff) ^ CRC24_TABLE[((crc >> 16) ^ bytes[i]!) & 0xff]!;
  return crc;
}

type Sha1 = Awaited<ReturnType<typeof createSHA1>>;

/** v4 fingerprint (40 hex digits) of a key packet's body. */
function fingerprintOf(sha1: Sha1, body: Uint8Array): string {
  const prefix = new Uint8Array([0x99, body.length >> 8, body.length & 0xff]);
  return toHex(sha1.init().update(prefix).update(body).digest('binary'));
}

/** A v4 key packet's body: version 4, four octets of creation time, the algorithm, key material. */
function keyAlgorithm(body: Uint8Array, what: string): number {
  if (body.length < 7) throw new CryptoInputError(`the ${what} packet is truncated`);
  if (body[0] !== 4) throw new CryptoInputError('only version 4 keys are accepted');
  if (body.length > 0xffff) throw new CryptoInputError(`the ${what} packet is too long`);
  return body[5]!;
}

/**
 * The fingerprint and the one encryption key id of an armored v4 public key,
 * from its packets alone; CryptoInputError for anything else.
 */
export async function describePublicKeyPackets(armored: string): Promise<PublicKeyInfo> {
  const sha1 = await hasher();
  const { primary, encryptionSubkey } = keyPackets(armored);
  return { fingerprint: fingerprintOf(sha1, primary), encryptionKeyIds: [keyIdOf(sha1, encryptionSubkey)] };
}

/**
 * The same checks, answering only the encryption key id, as a synchronous
 * function once the SHA-1 hasher is loaded: for intake
 * (server/intake/receive.ts), which reads the key inside its database
 * transaction, where it may not await, and needs nothing else of the key,
 * so hashes one packet, not two (docs/performance.md, sixteenth run).
 */
export async function encryptionKeyIdReader(): Promise<(armored: string) => Pick<PublicKeyInfo, 'encryptionKeyIds'>> {
  const sha1 = await hasher();
  return (armored) => ({ encryptionKeyIds: [keyIdOf(sha1, keyPackets(armored).encryptionSubkey)] });
}

/** A v4 key id: the last eight octets of the key's fingerprint. */
const keyIdOf = (sha1: Sha1, body: Uint8Array) => fingerprintOf(sha1, body).slice(-16);

/** The primary key packet's body and its one encryption subkey's, checked as the module comment says; nothing hashed. */
function keyPackets(armored: string): { primary: Uint8Array; encryptionSubkey: Uint8Array } {
  const bytes = dearmorPublicKey(armored);
  let at = 0;
  let packets = 0;
  let primary: Uint8Array | undefined;
  const encryptionSubkeys: Uint8Array[] = [];
  while (at < bytes.length) {
    if (++packets > MAX_PACKETS) throw new CryptoInputError(`the public key has more than ${MAX_PACKETS} packets`);
    const header = readPacketHeader(bytes, at);
    if (typeof header === 'string') throw new CryptoInputError(`the public key is damaged: ${header}`);
    if (header.length < 0) throw new CryptoInputError('a key packet may not be streamed');
    const end = header.bodyStart + header.length;
    if (end > bytes.length) throw new CryptoInputError('the public key is truncated');
    const body = bytes.subarray(header.bodyStart, end);
    if (header.tag === TAG.secretKey || header.tag === TAG.secretSubkey) {
      throw new CryptoInputError('a private key was sent where a public key belongs');
    }
    if (!ALLOWED.has(header.tag)) throw new CryptoInputError(`packet type ${header.tag} does not belong in a public key`);
    if (primary === undefined && header.tag !== TAG.publicKey) throw new CryptoInputError('the public key does not begin with its primary key');
    if (header.tag === TAG.publicKey) {
      if (primary !== undefined) throw new CryptoInputError('only one public key is accepted');
      if (ENCRYPTING.has(keyAlgorithm(body, 'primary key'))) throw new CryptoInputError('the public key must have exactly one encryption subkey');
      primary = body;
    } else if (header.tag === TAG.publicSubkey) {
      if (ENCRYPTING.has(keyAlgorithm(body, 'subkey'))) encryptionSubkeys.push(body);
    }
    at = end;
  }
  if (primary === undefined) throw new CryptoInputError('not an OpenPGP public key');
  if (encryptionSubkeys.length !== 1) throw new CryptoInputError('the public key must have exactly one encryption subkey');
  return { primary, encryptionSubkey: encryptionSubkeys[0]! };
}
