/**
 * The investigator's key envelope, version 2 (docs/protocol.md, "v2:
 * workspace trust root"): the password-wrapped private key together with the
 * workspace's trust root — the fingerprint of the team's recovery key and,
 * for the team that runs the deployment, those of the teams it may send to —
 * sealed and authenticated by the same password-derived key. The server
 * stores the envelope and hands it back; it can neither read nor change the
 * root inside, so every key the workspace encrypts or re-wraps to is checked
 * against a root the server cannot forge.
 *
 *   envelope  = 0x02 ‖ iv (12) ‖ AES-256-GCM(wrapKey, iv, plaintext, ad = utf8("ombud/key-envelope/v2/investigator"))
 *   plaintext = u16be(len(header)) ‖ header ‖ OpenPGP binary private key
 *   header    = utf8(JSON {"root": fp, "sendTo": [fp, …]})   fp = 40 lowercase hex, sendTo sorted, unique, without root
 *
 * A version 1 envelope (0x01, crypto/wrap.ts) has no root: `openEnvelope`
 * returns `root: null` for it and the workspace asks its holder to confirm one
 * (trust on first use, said so in the protocol).
 */
import { CryptoInputError, WrongKeyError } from './errors.ts';
import { fromBase64Url, fromUtf8, toBase64Url, utf8, wipe } from './encoding.ts';
import { openpgp } from './openpgp.ts';
import { randomBytes } from './random.ts';
import { UnlockedKey } from './keys.ts';
import { unwrapBytes } from './wrap.ts';

const VERSION = 2;
const IV_BYTES = 12;
const AD = 'ombud/key-envelope/v2/investigator';
const FINGERPRINT = /^[0-9a-f]{40}$/;
/** More than any deployment has teams; keeps the header small. */
export const MAX_SEND_TO = 200;

export interface TrustRoot {
  /** The team's recovery key fingerprint. */
  root: string;
  /** Other teams' recovery key fingerprints this workspace may send to (the deployment team only). */
  sendTo: string[];
}

export interface OpenedEnvelope {
  key: UnlockedKey;
  /** null for a version 1 envelope (made before v2): no root yet. */
  trust: TrustRoot | null;
  version: 1 | 2;
}

/** Checks and normalises a root (lowercase, sendTo sorted and unique, root not repeated there). */
export function normaliseTrust(trust: TrustRoot): TrustRoot {
  const root = trust.root.toLowerCase();
  if (!FINGERPRINT.test(root)) throw new CryptoInputError('the trust root is not a fingerprint');
  const sendTo = [...new Set(trust.sendTo.map((fp) => fp.toLowerCase()))].filter((fp) => fp !== root).sort();
  if (sendTo.length > MAX_SEND_TO) throw new CryptoInputError('too many teams in the trust root');
  for (const fp of sendTo) if (!FINGERPRINT.test(fp)) throw new CryptoInputError('a team in the trust root is not a fingerprint');
  return { root, sendTo };
}

async function aesKey(raw: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  if (raw.length !== 32) throw new TypeError('a wrapping key has 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, [usage]);
}

/** Seals `key` and `trust` under `wrapKey` (base64url). `iv` is for the fixed test vector only. */
export async function sealEnvelope(opts: { key: UnlockedKey; trust: TrustRoot; wrapKey: Uint8Array; iv?: Uint8Array }): Promise<string> {
  const header = utf8(JSON.stringify(normaliseTrust(opts.trust)));
  const binary = opts.key.pgp.write();
  const plaintext = new Uint8Array(2 + header.length + binary.length);
  plaintext[0] = header.length >> 8;
  plaintext[1] = header.length & 0xff;
  plaintext.set(header, 2);
  plaintext.set(binary, 2 + header.length);
  wipe(binary);
  try {
    const iv = opts.iv ?? randomBytes(IV_BYTES);
    if (iv.length !== IV_BYTES) throw new TypeError('an IV has 12 bytes');
    const sealed = new Uint8Array(await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: iv as BufferSource, additionalData: utf8(AD) as BufferSource },
      await aesKey(opts.wrapKey, 'encrypt'),
      plaintext as BufferSource,
    ));
    const out = new Uint8Array(1 + IV_BYTES + sealed.length);
    out[0] = VERSION;
    out.set(iv, 1);
    out.set(sealed, 1 + IV_BYTES);
    return toBase64Url(out);
  } finally {
    wipe(plaintext);
  }
}

function parseHeader(bytes: Uint8Array): TrustRoot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes));
  } catch {
    throw new WrongKeyError('the envelope header is not readable');
  }
  const value = parsed as Partial<TrustRoot>;
  if (typeof value.root !== 'string' || !Array.isArray(value.sendTo) || !value.sendTo.every((fp) => typeof fp === 'string')) {
    throw new WrongKeyError('the envelope header is not a trust root');
  }
  return normaliseTrust({ root: value.root, sendTo: value.sendTo });
}

/** Opens a version 2 envelope, or a version 1 wrapped key (trust: null). Throws WrongKeyError. */
export async function openEnvelope(opts: { wrapped: string; wrapKey: Uint8Array }): Promise<OpenedEnvelope> {
  const bytes = fromBase64Url(opts.wrapped);
  if (bytes[0] === 1) {
    const binary = await unwrapBytes(opts.wrapKey, bytes, 'investigator');
    try {
      return { key: new UnlockedKey(await openpgp.readPrivateKey({ binaryKey: binary.slice() })), trust: null, version: 1 };
    } finally {
      wipe(binary);
    }
  }
  if (bytes.length < 1 + IV_BYTES + 16 + 2 || bytes[0] !== VERSION) throw new WrongKeyError('not a key envelope of a known version');
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(1, 1 + IV_BYTES) as BufferSource, additionalData: utf8(AD) as BufferSource },
      await aesKey(opts.wrapKey, 'decrypt'),
      bytes.subarray(1 + IV_BYTES) as BufferSource,
    ));
  } catch {
    throw new WrongKeyError();
  }
  try {
    const length = (plain[0]! << 8) | plain[1]!;
    if (2 + length > plain.length) throw new WrongKeyError('the envelope is cut short');
    const trust = parseHeader(plain.subarray(2, 2 + length));
    const key = new UnlockedKey(await openpgp.readPrivateKey({ binaryKey: plain.slice(2 + length) }));
    return { key, trust, version: 2 };
  } finally {
    wipe(plain);
  }
}
