/**
 * Wrapping: AES-256-GCM under a key derived in the browser (from a password or
 * a case token). The server stores the result and can do nothing with it.
 * Format: version byte 0x01 ‖ 12-byte IV ‖ ciphertext ‖ 16-byte tag; the
 * additional data binds the purpose, so a reporter blob cannot pass as an
 * investigator blob.
 */
import { WrongKeyError } from './errors.ts';
import { utf8 } from './encoding.ts';
import { randomBytes } from './random.ts';

const VERSION = 1;
const IV_BYTES = 12;

/**
 * 'reporter-v2': a reporter key wrapped by a protocol-v2 form, whose case must
 * carry a status binding (./binding.ts). The server cannot turn it into a
 * 'reporter' blob without the token, so it cannot pass a v2 case off as one
 * made before bindings existed.
 */
export type WrapPurpose = 'reporter' | 'reporter-v2' | 'investigator';

async function aesKey(raw: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  if (raw.length !== 32) throw new TypeError('a wrapping key has 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, [usage]);
}

function additionalData(purpose: WrapPurpose): Uint8Array {
  return utf8(`ombud/wrapped-key/v1/${purpose}`);
}

export async function wrapBytes(wrapKey: Uint8Array, plaintext: Uint8Array, purpose: WrapPurpose): Promise<Uint8Array> {
  const iv = randomBytes(IV_BYTES);
  const key = await aesKey(wrapKey, 'encrypt');
  const sealed = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: iv as BufferSource, additionalData: additionalData(purpose) as BufferSource },
      key,
      plaintext as BufferSource,
    ),
  );
  const out = new Uint8Array(1 + IV_BYTES + sealed.length);
  out[0] = VERSION;
  out.set(iv, 1);
  out.set(sealed, 1 + IV_BYTES);
  return out;
}

export async function unwrapBytes(wrapKey: Uint8Array, wrapped: Uint8Array, purpose: WrapPurpose): Promise<Uint8Array> {
  if (wrapped.length < 1 + IV_BYTES + 16 || wrapped[0] !== VERSION) throw new WrongKeyError('not a wrapped key of a known version');
  const key = await aesKey(wrapKey, 'decrypt');
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: wrapped.subarray(1, 1 + IV_BYTES) as BufferSource, additionalData: additionalData(purpose) as BufferSource },
      key,
      wrapped.subarray(1 + IV_BYTES) as BufferSource,
    );
    return new Uint8Array(plain);
  } catch {
    throw new WrongKeyError();
  }
}
