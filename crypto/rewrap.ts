/**
 * Giving a newcomer access to a stored message without decrypting it on the
 * server and without re-uploading it (docs/protocol.md, "Re-wrapping,
 * removal and recovery").
 *
 * A stored message is PKESK v3 packets, then one SEIPD v1 packet
 * (§5/§6). Every PKESK carries the same session key, encrypted to one
 * recipient. So a browser that can open one PKESK — with its own key or the
 * team's recovery key — can encrypt the same session key to the newcomer
 * (`rewrapSessionKey`), and the server inserts that one packet before the
 * SEIPD (`addRecipient`). Only the PKESK packets travel to the browser
 * (`splitHeader`): a few hundred bytes instead of a 25 MiB attachment.
 *
 * `splitHeader` and `addRecipient` are pure packet work (no openpgp.js), for
 * the server; the SEIPD bytes come out unchanged.
 */
import { CryptoInputError, DecryptError } from './errors.ts';
import { toHex, wipe } from './encoding.ts';
import { inspectMessage } from './inspect.ts';
import type { UnlockedKey } from './keys.ts';
import { openpgp, PGP_CONFIG } from './openpgp.ts';

const TAG_PKESK = 1;
const TAG_SEIPD = 18;
/** RSA, Elgamal, ECDH, X25519, X448: public-key algorithms that encrypt session keys. */
const ENCRYPTING_ALGORITHMS = new Set([1, 2, 16, 18, 25, 26]);
/** Far above any real v3 PKESK (ECDH Curve25519: 94 bytes; RSA-4096: 523). */
const MAX_PKESK_BODY = 1100;

interface Packet {
  tag: number;
  start: number;
  bodyStart: number;
  /** -1: a partial (streamed) length, which only the SEIPD may have. */
  length: number;
}

/** Reads one packet header at `at`; undefined when `bytes` ends inside it. */
function readPacket(bytes: Uint8Array, at: number): Packet | undefined | string {
  const first = bytes[at];
  if (first === undefined) return undefined;
  if ((first & 0x80) === 0) return 'not an OpenPGP packet';
  if (first & 0x40) {
    const tag = first & 0x3f;
    const o1 = bytes[at + 1];
    if (o1 === undefined) return undefined;
    if (o1 < 192) return { tag, start: at, bodyStart: at + 2, length: o1 };
    if (o1 < 224) {
      const o2 = bytes[at + 2];
      return o2 === undefined ? undefined : { tag, start: at, bodyStart: at + 3, length: ((o1 - 192) << 8) + o2 + 192 };
    }
    if (o1 === 255) {
      if (at + 6 > bytes.length) return undefined;
      const length = ((bytes[at + 2]! << 24) >>> 0) + (bytes[at + 3]! << 16) + (bytes[at + 4]! << 8) + bytes[at + 5]!;
      return { tag, start: at, bodyStart: at + 6, length };
    }
    return { tag, start: at, bodyStart: at + 2, length: -1 };
  }
  const tag = (first >> 2) & 0x0f;
  const lengthType = first & 0x03;
  if (lengthType === 3) return 'indeterminate packet length';
  const size = 1 << lengthType;
  if (at + 1 + size > bytes.length) return undefined;
  let length = 0;
  for (let i = 0; i < size; i++) length = length * 256 + bytes[at + 1 + i]!;
  return { tag, start: at, bodyStart: at + 1 + size, length };
}

/** The key id (16 lowercase hex) of a well-formed v3 PKESK body, or why it is not one. */
function pkeskKeyId(bytes: Uint8Array, packet: Packet): string {
  if (packet.length < 0) throw new CryptoInputError('a key packet may not be streamed');
  if (packet.length < 12 || packet.length > MAX_PKESK_BODY) throw new CryptoInputError('a key packet of an impossible size');
  if (bytes[packet.bodyStart] !== 3) throw new CryptoInputError('only version 3 key packets are accepted');
  const keyId = toHex(bytes.subarray(packet.bodyStart + 1, packet.bodyStart + 9));
  if (keyId === '0000000000000000') throw new CryptoInputError('anonymous recipients are not accepted');
  if (!ENCRYPTING_ALGORITHMS.has(bytes[packet.bodyStart + 9]!)) throw new CryptoInputError('the key packet names no encryption algorithm');
  return keyId;
}

export interface MessageHeader {
  /** The PKESK packets, byte for byte. */
  header: Uint8Array;
  /** Their key ids, in order. */
  keyIds: string[];
}

/**
 * The PKESK packets at the head of `bytes` (a whole message or just its
 * first bytes). `undefined` when `bytes` ends before the SEIPD packet starts
 * (read more); CryptoInputError for anything but PKESK packets then a SEIPD.
 */
export function splitHeader(bytes: Uint8Array): MessageHeader | undefined {
  const keyIds: string[] = [];
  let at = 0;
  for (;;) {
    const first = bytes[at];
    // A new-format tag is the low six bits, an old-format one bits 2–5: the SEIPD is recognised by its first byte.
    const tag = first === undefined ? undefined : first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
    if (tag === TAG_SEIPD && (first! & 0x80)) {
      if (keyIds.length === 0) throw new CryptoInputError('the message has no recipients');
      return { header: bytes.subarray(0, at), keyIds };
    }
    const packet = readPacket(bytes, at);
    if (packet === undefined) return undefined;
    if (typeof packet === 'string') throw new CryptoInputError(packet);
    if (packet.tag !== TAG_PKESK) throw new CryptoInputError(`packet type ${packet.tag} is not allowed in a message header`);
    if (packet.bodyStart + packet.length > bytes.length) return undefined;
    keyIds.push(pkeskKeyId(bytes, packet));
    at = packet.bodyStart + packet.length;
  }
}

/** Checks that `pkesk` is exactly one v3 PKESK packet to `keyId`; returns it. */
export function readSinglePkesk(pkesk: Uint8Array, keyId: string): Uint8Array {
  const packet = readPacket(pkesk, 0);
  if (packet === undefined || typeof packet === 'string') throw new CryptoInputError('not an OpenPGP key packet');
  if (packet.tag !== TAG_PKESK) throw new CryptoInputError('not a key packet (PKESK)');
  const found = pkeskKeyId(pkesk, packet);
  if (packet.bodyStart + packet.length !== pkesk.length) throw new CryptoInputError('exactly one key packet, and nothing after it');
  if (found !== keyId.toLowerCase()) throw new CryptoInputError(`the key packet is for key ${found}, not ${keyId.toLowerCase()}`);
  return pkesk;
}

/**
 * `message` with `pkesk` inserted after its key packets, the SEIPD bytes
 * unchanged. Refuses (CryptoInputError) a message that does not pass
 * inspection and a packet that is not exactly one v3 PKESK to `keyId`.
 * `added: false` (and the message as it was) when `keyId` is already a
 * recipient: sharing twice changes nothing.
 */
export function addRecipient(opts: { message: Uint8Array; pkesk: Uint8Array; keyId: string }): { message: Uint8Array; added: boolean } {
  const inspection = inspectMessage(opts.message);
  if (!inspection.ok) throw new CryptoInputError(`not an encrypted message: ${inspection.reason}`);
  const pkesk = readSinglePkesk(opts.pkesk, opts.keyId);
  if (inspection.recipientKeyIds.includes(opts.keyId.toLowerCase())) return { message: opts.message, added: false };
  const { header } = splitHeader(opts.message)!;
  const out = new Uint8Array(opts.message.length + pkesk.length);
  out.set(header);
  out.set(pkesk, header.length);
  out.set(opts.message.subarray(header.length), header.length + pkesk.length);
  const check = inspectMessage(out);
  if (!check.ok) throw new CryptoInputError(`the spliced message does not pass inspection: ${check.reason}`);
  return { message: out, added: true };
}

/**
 * In the browser: opens the session key of `header` with `key` and encrypts
 * it to `recipientPublicKey`, as one PKESK v3 packet. DecryptError when
 * `key` is not a recipient of the header.
 */
export async function rewrapSessionKey(opts: { header: Uint8Array; key: UnlockedKey; recipientPublicKey: string }): Promise<Uint8Array> {
  let recipient: openpgp.Key;
  try {
    recipient = await openpgp.readKey({ armoredKey: opts.recipientPublicKey });
  } catch {
    throw new CryptoInputError('the recipient key is not an OpenPGP public key');
  }
  let sessionKey: openpgp.DecryptedSessionKey;
  try {
    const message = await openpgp.readMessage({ binaryMessage: opts.header });
    [sessionKey] = (await openpgp.decryptSessionKeys({ message, decryptionKeys: opts.key.pgp, config: PGP_CONFIG })) as [typeof sessionKey];
    // SEIPD v1 only (§5): a v6 session key has no algorithm of its own.
    if (!sessionKey.algorithm) throw new Error('not a SEIPD v1 session key');
  } catch (error) {
    throw new DecryptError(error instanceof Error ? `cannot open the session key: ${error.message}` : 'cannot open the session key');
  }
  try {
    const date = new Date(Math.max(Date.now(), recipient.getCreationTime().getTime() + 1000));
    const encryptionKey = await recipient.getEncryptionKey(undefined, date, undefined, { ...openpgp.config, ...PGP_CONFIG });
    const pkesk = await openpgp.encryptSessionKey({
      data: sessionKey.data, algorithm: sessionKey.algorithm!, encryptionKeys: recipient, format: 'binary', date, config: PGP_CONFIG,
    });
    return readSinglePkesk(pkesk, encryptionKey.getKeyID().toHex());
  } finally {
    wipe(sessionKey.data);
  }
}
