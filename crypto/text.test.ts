import { describe, expect, it } from 'vitest';
import { DecryptError, CryptoInputError } from './errors.ts';
import { inspectMessage } from './inspect.ts';
import { describePublicKey, generateKeyPair } from './keys.ts';
import { decryptText, encryptText } from './text.ts';

describe('encryptText', () => {
  it('writes an armored OpenPGP message that the recipient decrypts', async () => {
    const { publicKey, privateKey } = await generateKeyPair({ name: 'Investigator' });
    const armored = await encryptText({ text: 'Ombud: 2 cases need attention', recipients: [publicKey] });
    expect(armored.startsWith('-----BEGIN PGP MESSAGE-----\n')).toBe(true);
    expect(armored.trimEnd().endsWith('-----END PGP MESSAGE-----')).toBe(true);
    expect(armored).not.toContain('cases need attention');
    expect(await decryptText({ armored, key: privateKey })).toBe('Ombud: 2 cases need attention');
  });

  it('is readable by nobody else', async () => {
    const { publicKey } = await generateKeyPair({ name: 'Investigator' });
    const stranger = await generateKeyPair({ name: 'Stranger' });
    const armored = await encryptText({ text: 'hello', recipients: [publicKey] });
    await expect(decryptText({ armored, key: stranger.privateKey })).rejects.toThrow(DecryptError);
  });

  it('passes the upload inspection: encrypted to exactly the recipient, SEIPD v1, nothing in the clear', async () => {
    const { publicKey } = await generateKeyPair({ name: 'Investigator' });
    const armored = await encryptText({ text: 'hello', recipients: [publicKey] });
    const body = armored.split('\n\n')[1]!.split('\n=')[0]!.replace(/\s/g, '');
    const binary = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
    const info = await describePublicKey(publicKey);
    expect(inspectMessage(binary)).toEqual({ ok: true, recipientKeyIds: info.encryptionKeyIds });
  });

  it('refuses no recipients and keys that are not keys', async () => {
    await expect(encryptText({ text: 'x', recipients: [] })).rejects.toThrow(CryptoInputError);
    await expect(encryptText({ text: 'x', recipients: ['not a key'] })).rejects.toThrow(CryptoInputError);
  });
});
