/**
 * The team index key (docs/protocol.md, "Inbox index"): a random 32-byte
 * AES-256-GCM key that encrypts one small search entry per case, so an inbox
 * of thousands of cases can be searched in the browser without one OpenPGP
 * decryption per case. The key itself travels only sealed to OpenPGP keys
 * (the team's investigators and recovery key).
 *
 * An entry is UTF-8 text capped at INDEX_TEXT_BYTES, padded to exactly
 * INDEX_PLAIN_BYTES, then AES-GCM with a random 96-bit IV and the case id as
 * additional data: IV ‖ ciphertext ‖ tag, always INDEX_ENTRY_BYTES long.
 */
import { CryptoInputError, DecryptError } from './errors.ts';
import { fromUtf8, utf8 } from './encoding.ts';
import type { UnlockedKey } from './keys.ts';
import { pad, unpad } from './padding.ts';
import { decryptPayload, encryptPayload } from './payload.ts';
import { randomBytes } from './random.ts';

export const INDEX_KEY_BYTES = 32;
/** The padded plaintext of an entry: one padding bucket. */
export const INDEX_PLAIN_BYTES = 1024;
/** Text beyond this (UTF-8 bytes) is cut off before padding (4 bytes of length header). */
export const INDEX_TEXT_BYTES = INDEX_PLAIN_BYTES - 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Every stored entry has exactly this size. */
export const INDEX_ENTRY_BYTES = IV_BYTES + INDEX_PLAIN_BYTES + TAG_BYTES;

export function newIndexKey(): Uint8Array {
  return randomBytes(INDEX_KEY_BYTES);
}

/** The raw key encrypted (padded, OpenPGP) to every one of `recipients`. */
export function sealForKeys(opts: { data: Uint8Array; recipients: string[] }): Promise<Uint8Array> {
  return encryptPayload({ data: opts.data, recipients: opts.recipients });
}

/** What sealForKeys sealed, opened with one recipient's key (throws WrongKeyError/DecryptError). */
export function openSealed(opts: { sealed: Uint8Array; key: UnlockedKey }): Promise<Uint8Array> {
  return decryptPayload({ ciphertext: opts.sealed, key: opts.key });
}

/** A non-extractable WebCrypto key for entries; import once, use for thousands. */
export async function importIndexKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== INDEX_KEY_BYTES) throw new CryptoInputError('an index key is 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** The longest prefix of `text` that fits in `max` UTF-8 bytes, never cutting a character. */
function capUtf8(text: string, max: number): Uint8Array {
  const bytes = utf8(text);
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

export async function sealIndexEntry(opts: { key: CryptoKey; caseId: string; text: string }): Promise<Uint8Array> {
  const plain = pad(capUtf8(opts.text, INDEX_TEXT_BYTES));
  if (plain.length !== INDEX_PLAIN_BYTES) throw new CryptoInputError('index entry padding');
  const iv = randomBytes(IV_BYTES);
  const sealed = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: utf8(opts.caseId) as Uint8Array<ArrayBuffer> },
      opts.key, plain as Uint8Array<ArrayBuffer>,
    ),
  );
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return out;
}

/** The entry's text; DecryptError if it was not sealed under this key for this case. */
export async function openIndexEntry(opts: { key: CryptoKey; caseId: string; entry: Uint8Array }): Promise<string> {
  if (opts.entry.length !== INDEX_ENTRY_BYTES) throw new CryptoInputError('an index entry has a fixed size');
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await globalThis.crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: opts.entry.subarray(0, IV_BYTES) as Uint8Array<ArrayBuffer>, additionalData: utf8(opts.caseId) as Uint8Array<ArrayBuffer> },
        opts.key, opts.entry.subarray(IV_BYTES) as Uint8Array<ArrayBuffer>,
      ),
    );
  } catch {
    throw new DecryptError('the index entry does not open with this key');
  }
  return fromUtf8(unpad(plain));
}
