import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, fromUtf8, utf8 } from './encoding.ts';
import { CryptoInputError, DecryptError, WrongKeyError } from './errors.ts';
import { inspectMessage } from './inspect.ts';
import { describePublicKey, exportArmoredPrivateKey, generateKeyPair, readArmoredPrivateKey, REPORTER_KEY_DATE, unwrapKey, wrapKey } from './keys.ts';
import { decryptJson, decryptPayload, encryptJson, encryptPayload } from './payload.ts';
import { randomBytes } from './random.ts';

const exportPublic = async (key: { pgp: { toPublic(): { armor(): string } } }) => key.pgp.toPublic().armor();
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('keys', () => {
  it('makes GnuPG-compatible v4 Curve25519 keys', async () => {
    const { publicKey } = await generateKeyPair({ name: 'Investigator' });
    const info = await describePublicKey(publicKey);
    expect(info.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(info.encryptionKeyIds).toHaveLength(1);
    expect(info.encryptionKeyIds[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('dates every reporter key the same, so a key does not tell when a worker reported', async () => {
    const a = await generateKeyPair({ name: 'Reporter', kind: 'reporter' });
    const b = await generateKeyPair({ name: 'Reporter', kind: 'reporter' });
    expect(a.privateKey.pgp.getCreationTime()).toEqual(REPORTER_KEY_DATE);
    expect(b.privateKey.pgp.getCreationTime()).toEqual(REPORTER_KEY_DATE);
    expect(a.privateKey.fingerprint).not.toBe(b.privateKey.fingerprint);
  });

  it('names the same encryption key without verifying signatures, and refuses ambiguous keys then', async () => {
    const { publicKey, privateKey } = await generateKeyPair({ name: 'Reporter', kind: 'reporter' });
    expect(await describePublicKey(publicKey, { verifySignatures: false })).toEqual(await describePublicKey(publicKey));
    const twoSubkeys = await privateKey.pgp.addSubkey({ type: 'ecc' });
    await expect(describePublicKey(twoSubkeys.toPublic().armor(), { verifySignatures: false })).rejects.toThrow(CryptoInputError);
    await expect(describePublicKey('hello', { verifySignatures: false })).rejects.toThrow(CryptoInputError);
  });

  it('refuses garbage and private keys where a public key belongs', async () => {
    await expect(describePublicKey('hello')).rejects.toThrow(CryptoInputError);
    await expect(describePublicKey(fixture('investigator.sec.asc'))).rejects.toThrow(CryptoInputError);
  });

  it('wraps a private key so that only the same secret and purpose unwrap it', async () => {
    const { privateKey } = await generateKeyPair({ name: 'Reporter', kind: 'reporter' });
    const secret = randomBytes(32);
    const wrapped = await wrapKey({ key: privateKey, wrapKey: secret, purpose: 'reporter' });
    const back = await unwrapKey({ wrapped, wrapKey: secret, purpose: 'reporter' });
    expect(back.fingerprint).toBe(privateKey.fingerprint);
    const ciphertext = await encryptPayload({ data: utf8('after unwrapping'), recipients: [(await exportPublic(privateKey))] });
    expect(fromUtf8(await decryptPayload({ ciphertext, key: back }))).toBe('after unwrapping');
    await expect(unwrapKey({ wrapped, wrapKey: randomBytes(32), purpose: 'reporter' })).rejects.toThrow(WrongKeyError);
    await expect(unwrapKey({ wrapped, wrapKey: secret, purpose: 'investigator' })).rejects.toThrow(WrongKeyError);
    const tampered = fromBase64Url(wrapped);
    tampered[20]! ^= 1;
    const { toBase64Url } = await import('./encoding.ts');
    await expect(unwrapKey({ wrapped: toBase64Url(tampered), wrapKey: secret, purpose: 'reporter' })).rejects.toThrow(WrongKeyError);
  });

  it('forgets a wiped key', async () => {
    const { privateKey } = await generateKeyPair({ name: 'X' });
    privateKey.wipe();
    expect(privateKey.wiped).toBe(true);
    expect(() => privateKey.pgp).toThrow();
  });

  it('exports a private key that reads back', async () => {
    const { privateKey } = await generateKeyPair({ name: 'Recovery' });
    const armored = await exportArmoredPrivateKey(privateKey);
    expect(armored).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    expect((await readArmoredPrivateKey(armored)).fingerprint).toBe(privateKey.fingerprint);
  });
});

describe('payload encryption', () => {
  it('decrypts the committed fixed vector with the committed fixture key', async () => {
    const key = await readArmoredPrivateKey(fixture('investigator.sec.asc'));
    const value = await decryptJson({ ciphertext: fixture('message-to-investigator.b64u').trim(), key });
    expect(value).toEqual({ v: 1, text: 'fixture message 固定向量' });
  });

  it('round-trips to every recipient and to nobody else', async () => {
    const team = await generateKeyPair({ name: 'Investigator' });
    const recovery = await generateKeyPair({ name: 'Recovery' });
    const outsider = await generateKeyPair({ name: 'Outsider' });
    const ciphertext = await encryptPayload({ data: utf8('canary 金丝雀'), recipients: [team.publicKey, recovery.publicKey] });
    for (const key of [team.privateKey, recovery.privateKey]) {
      expect(fromUtf8(await decryptPayload({ ciphertext, key }))).toBe('canary 金丝雀');
    }
    await expect(decryptPayload({ ciphertext, key: outsider.privateKey })).rejects.toThrow(DecryptError);
  });

  it('names exactly the recipients in its key packets', async () => {
    const a = await generateKeyPair({ name: 'A' });
    const b = await generateKeyPair({ name: 'B' });
    const ciphertext = await encryptPayload({ data: utf8('x'), recipients: [a.publicKey, b.publicKey] });
    const ids = [...(await describePublicKey(a.publicKey)).encryptionKeyIds, ...(await describePublicKey(b.publicKey)).encryptionKeyIds];
    expect(inspectMessage(ciphertext)).toEqual({ ok: true, recipientKeyIds: ids });
  });

  it('pads: a one-letter report and a 900-letter report have the same size', async () => {
    const a = await generateKeyPair({ name: 'A' });
    const short = await encryptPayload({ data: utf8('x'), recipients: [a.publicKey] });
    const long = await encryptPayload({ data: utf8('x'.repeat(900)), recipients: [a.publicKey] });
    expect(short.length).toBe(long.length);
  });

  it('reports progress while encrypting a large file, and the result is one valid message', async () => {
    const a = await generateKeyPair({ name: 'A' });
    const data = randomBytes(3 * 1024 * 1024);
    const seen: number[] = [];
    const ciphertext = await encryptPayload({ data, recipients: [a.publicKey], onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.at(-1)).toBe(1);
    expect(inspectMessage(ciphertext).ok).toBe(true);
    expect(await decryptPayload({ ciphertext, key: a.privateKey })).toEqual(data);
  });

  it('refuses a damaged ciphertext', async () => {
    const a = await generateKeyPair({ name: 'A' });
    const ciphertext = await encryptPayload({ data: utf8('x'), recipients: [a.publicKey] });
    ciphertext[ciphertext.length - 30]! ^= 0xff;
    await expect(decryptPayload({ ciphertext, key: a.privateKey })).rejects.toThrow(DecryptError);
  });

  it('refuses an empty recipient list and keys that are not keys', async () => {
    await expect(encryptJson({ value: 1, recipients: [] })).rejects.toThrow(CryptoInputError);
    await expect(encryptJson({ value: 1, recipients: ['nope'] })).rejects.toThrow(CryptoInputError);
  });
});
