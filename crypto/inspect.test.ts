import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utf8 } from './encoding.ts';
import { inspectMessage, MAX_RECIPIENTS } from './inspect.ts';
import { generateKeyPair } from './keys.ts';
import { openpgp, PGP_CONFIG } from './openpgp.ts';
import { encryptPayload } from './payload.ts';

const gpgMessage = new Uint8Array(readFileSync(new URL('./fixtures/gpg-encrypted.gpg', import.meta.url)));

async function encrypted(): Promise<Uint8Array> {
  const { publicKey } = await generateKeyPair({ name: 'A' });
  return encryptPayload({ data: utf8('hello'), recipients: [publicKey] });
}

describe('packet inspection', () => {
  it('accepts a message GnuPG encrypted (old-format headers) and names its recipient', () => {
    const result = inspectMessage(gpgMessage);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.recipientKeyIds).toHaveLength(1);
  });

  it('refuses plaintext, JSON and armored text', () => {
    for (const text of ['hello', '{"what":"canary"}', '-----BEGIN PGP MESSAGE-----\n\nwcBMA']) {
      expect(inspectMessage(utf8(text)).ok).toBe(false);
    }
    expect(inspectMessage(new Uint8Array(0)).ok).toBe(false);
  });

  it('refuses an unencrypted OpenPGP literal message and a compressed one', async () => {
    const literal = (await openpgp.createMessage({ text: 'canary' })).write();
    expect(inspectMessage(literal)).toMatchObject({ ok: false });
    const compressed = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: 'x'.repeat(1000) }),
      passwords: ['pw'],
      format: 'binary',
      config: { ...PGP_CONFIG, preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
    });
    expect(inspectMessage(compressed)).toMatchObject({ ok: false });
  });

  it('refuses a password-encrypted message (no recipient keys)', async () => {
    const message = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'x' }), passwords: ['pw'], format: 'binary', config: PGP_CONFIG });
    expect(inspectMessage(message)).toMatchObject({ ok: false });
  });

  it('refuses truncated messages at every length and trailing data', async () => {
    const message = await encrypted();
    for (let cut = 0; cut < message.length; cut += 7) expect(inspectMessage(message.subarray(0, cut)).ok).toBe(false);
    const longer = new Uint8Array(message.length + 1);
    longer.set(message);
    expect(inspectMessage(longer)).toEqual({ ok: false, reason: 'data after the message' });
  });

  it('refuses wildcard and repeated recipients and AEAD (v2) data', async () => {
    const message = await encrypted();
    const wildcard = message.slice();
    wildcard.fill(0, 3, 11); // new-format header is 2 bytes, then version 3, then the key id
    expect(inspectMessage(wildcard)).toEqual({ ok: false, reason: 'anonymous recipients are not accepted' });
    const pkeskLength = message[1]! + 2;
    const twice = new Uint8Array(message.length + pkeskLength);
    twice.set(message.subarray(0, pkeskLength));
    twice.set(message, pkeskLength);
    expect(inspectMessage(twice)).toEqual({ ok: false, reason: 'a recipient is named twice' });
    const v2 = message.slice();
    const seipd = pkeskLength;
    const headerLength = v2[seipd + 1]! < 192 ? 2 : v2[seipd + 1]! < 224 ? 3 : 6;
    v2[seipd + headerLength] = 2;
    expect(inspectMessage(v2)).toMatchObject({ ok: false });
  });

  it('survives random bytes without throwing', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(1 + (i % 300)));
      expect(() => inspectMessage(bytes)).not.toThrow();
    }
  });

  describe('bounded recipients', () => {
    /** `count` distinct 12-byte v3 key packets, as in the hostile upload: 2 bytes of header + 10 of body (key id, algorithm). */
    function keyPackets(count: number): Uint8Array {
      const bytes = new Uint8Array(count * 12);
      for (let i = 0; i < count; i += 1) {
        const at = i * 12;
        bytes[at] = 0xc1;
        bytes[at + 1] = 10;
        bytes[at + 2] = 3;
        new DataView(bytes.buffer).setUint32(at + 7, i + 1); // a distinct key id each
        bytes[at + 11] = 18;
      }
      return bytes;
    }

    it('stops at MAX_RECIPIENTS key packets, before collecting more', () => {
      expect(inspectMessage(keyPackets(MAX_RECIPIENTS + 1))).toEqual({ ok: false, reason: `more than ${MAX_RECIPIENTS} recipients` });
      expect(inspectMessage(keyPackets(MAX_RECIPIENTS))).toEqual({ ok: false, reason: 'the message has no encrypted data' });
    });

    it('refuses ~2.2 million key packets (26 MiB, within the upload limit) in milliseconds and without growing memory', () => {
      const hostile = keyPackets(2_200_000);
      expect(hostile.length).toBeLessThanOrEqual(26 * 1024 * 1024);
      globalThis.gc?.();
      const before = process.memoryUsage();
      const started = performance.now();
      const result = inspectMessage(hostile);
      const elapsed = performance.now() - started;
      const after = process.memoryUsage();
      expect(result).toEqual({ ok: false, reason: `more than ${MAX_RECIPIENTS} recipients` });
      expect(elapsed).toBeLessThan(50);
      // Before the bound: 2.2 million hex strings in an array and a Set, hundreds of MiB of heap.
      expect(after.heapUsed - before.heapUsed).toBeLessThan(4 * 1024 * 1024);
      expect(after.rss - before.rss).toBeLessThan(16 * 1024 * 1024);
    });
  });
});
