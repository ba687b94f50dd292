/**
 * Encryption of everything a reporter or an investigator writes: padded, then
 * encrypted to a set of OpenPGP public keys (SEIPD v1, AES-256, one PKESK per
 * recipient). The literal packet carries no file name and a zero date, so the
 * ciphertext does not say when it was written.
 */
import { DecryptError, CryptoInputError } from './errors.ts';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from './encoding.ts';
import type { UnlockedKey } from './keys.ts';
import { openpgp, PGP_CONFIG } from './openpgp.ts';
import { pad, unpad } from './padding.ts';

const LITERAL_DATE = new Date(0);

async function readRecipients(armored: string[]): Promise<openpgp.Key[]> {
  if (armored.length === 0) throw new CryptoInputError('a message needs at least one recipient');
  try {
    return await Promise.all(armored.map((armoredKey) => openpgp.readKey({ armoredKey })));
  } catch {
    throw new CryptoInputError('a recipient key is not an OpenPGP public key');
  }
}

/**
 * Key validity is checked at a date no earlier than the newest recipient key,
 * so that a phone whose clock runs behind can still encrypt.
 */
function validityDate(keys: openpgp.Key[]): Date {
  const newest = Math.max(...keys.map((key) => key.getCreationTime().getTime()));
  return new Date(Math.max(Date.now(), newest + 1000));
}

/** Below this, a payload is encrypted in one piece and progress is reported once. */
const STREAM_CHUNK = 256 * 1024;

/**
 * Feeds the padded plaintext to openpgp in chunks and reports how much of it
 * was consumed, so a worker sees a real progress bar while a large file is
 * locked. The output is collected whole: the upload needs its length.
 */
async function encryptStreaming(padded: Uint8Array, keys: openpgp.Key[], onProgress: (fraction: number) => void): Promise<Uint8Array> {
  let offset = 0;
  const input = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= padded.length) {
        controller.close();
        return;
      }
      const end = Math.min(padded.length, offset + STREAM_CHUNK);
      controller.enqueue(padded.subarray(offset, end));
      offset = end;
      onProgress(offset / padded.length);
    },
  });
  const message = await openpgp.createMessage({ binary: input, format: 'binary', date: LITERAL_DATE });
  const output = await openpgp.encrypt({ message, encryptionKeys: keys, format: 'binary', date: validityDate(keys), config: PGP_CONFIG });
  const reader = (output as ReadableStream<Uint8Array>).getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export async function encryptPayload(opts: {
  data: Uint8Array;
  recipients: string[];
  /** Called with the share of the plaintext encrypted so far (0–1). */
  onProgress?: (fraction: number) => void;
}): Promise<Uint8Array> {
  const keys = await readRecipients(opts.recipients);
  const padded = pad(opts.data);
  if (opts.onProgress && padded.length > STREAM_CHUNK) return encryptStreaming(padded, keys, opts.onProgress);
  const message = await openpgp.createMessage({ binary: padded, format: 'binary', date: LITERAL_DATE });
  const ciphertext = await openpgp.encrypt({ message, encryptionKeys: keys, format: 'binary', date: validityDate(keys), config: PGP_CONFIG });
  opts.onProgress?.(1);
  return ciphertext;
}

/** Throws DecryptError when the key is not a recipient or the data is damaged. */
export async function decryptPayload(opts: { ciphertext: Uint8Array; key: UnlockedKey }): Promise<Uint8Array> {
  try {
    const message = await openpgp.readMessage({ binaryMessage: opts.ciphertext });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: opts.key.pgp, format: 'binary', config: PGP_CONFIG });
    return unpad(data);
  } catch (error) {
    throw new DecryptError(error instanceof Error ? `cannot decrypt: ${error.message}` : 'cannot decrypt');
  }
}

/** JSON in, base64url ciphertext out: what the API carries. */
export async function encryptJson(opts: { value: unknown; recipients: string[] }): Promise<string> {
  return toBase64Url(await encryptPayload({ data: utf8(JSON.stringify(opts.value)), recipients: opts.recipients }));
}

export async function decryptJson(opts: { ciphertext: string; key: UnlockedKey }): Promise<unknown> {
  const plain = await decryptPayload({ ciphertext: fromBase64Url(opts.ciphertext), key: opts.key });
  try {
    return JSON.parse(fromUtf8(plain));
  } catch {
    throw new DecryptError('decrypted data is not JSON');
  }
}
