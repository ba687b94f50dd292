import { afterAll, describe, expect, it } from 'vitest';
import { tempGpg, unpadGpgOutput } from '../tests/support/gpg.ts';
import { fromUtf8, utf8 } from './encoding.ts';
import { CryptoInputError, DecryptError } from './errors.ts';
import { inspectMessage } from './inspect.ts';
import { describePublicKey, exportArmoredPrivateKey, generateKeyPair } from './keys.ts';
import { decryptPayload, encryptPayload } from './payload.ts';
import { addRecipient, readSinglePkesk, rewrapSessionKey, splitHeader } from './rewrap.ts';

const keyIdOf = async (armored: string) => (await describePublicKey(armored)).encryptionKeyIds[0]!;

async function setting() {
  const admin = await generateKeyPair({ name: 'Admin' });
  const recovery = await generateKeyPair({ name: 'Recovery' });
  const newcomer = await generateKeyPair({ name: 'Newcomer' });
  const message = await encryptPayload({ data: utf8('before the newcomer joined 之前'), recipients: [admin.publicKey, recovery.publicKey] });
  return { admin, recovery, newcomer, message, newcomerKeyId: await keyIdOf(newcomer.publicKey) };
}

const SEIPD_OF = (message: Uint8Array) => message.subarray(splitHeader(message)!.header.length);

describe('re-wrapping a session key to a newcomer', () => {
  const gpg = tempGpg();
  afterAll(() => gpg.dispose());

  it('lets the newcomer decrypt after splicing, the old recipients still do, and the encrypted data is unchanged', async () => {
    const { admin, recovery, newcomer, message, newcomerKeyId } = await setting();
    await expect(decryptPayload({ ciphertext: message, key: newcomer.privateKey })).rejects.toThrow(DecryptError);
    const { header } = splitHeader(message)!;
    const pkesk = await rewrapSessionKey({ header, key: admin.privateKey, recipientPublicKey: newcomer.publicKey });
    const spliced = addRecipient({ message, pkesk, keyId: newcomerKeyId });
    expect(spliced.added).toBe(true);
    for (const key of [newcomer.privateKey, admin.privateKey, recovery.privateKey]) {
      expect(fromUtf8(await decryptPayload({ ciphertext: spliced.message, key }))).toBe('before the newcomer joined 之前');
    }
    expect(SEIPD_OF(spliced.message)).toEqual(SEIPD_OF(message));
    const inspected = inspectMessage(spliced.message);
    expect(inspected.ok && inspected.recipientKeyIds).toEqual([
      await keyIdOf(admin.publicKey), await keyIdOf(recovery.publicKey), newcomerKeyId,
    ]);
  });

  it('re-wraps with the recovery key as well, from the key packets alone', async () => {
    const { recovery, newcomer, message, newcomerKeyId } = await setting();
    const onlyHeader = splitHeader(message)!.header.slice();
    expect(onlyHeader.length).toBeLessThan(300);
    const pkesk = await rewrapSessionKey({ header: onlyHeader, key: recovery.privateKey, recipientPublicKey: newcomer.publicKey });
    const { message: spliced } = addRecipient({ message, pkesk, keyId: newcomerKeyId });
    expect(fromUtf8(await decryptPayload({ ciphertext: spliced, key: newcomer.privateKey }))).toBe('before the newcomer joined 之前');
  });

  it('produces a message GnuPG decrypts with the newcomer’s key', async () => {
    const { admin, newcomer, message, newcomerKeyId } = await setting();
    const pkesk = await rewrapSessionKey({ header: splitHeader(message)!.header, key: admin.privateKey, recipientPublicKey: newcomer.publicKey });
    const { message: spliced } = addRecipient({ message, pkesk, keyId: newcomerKeyId });
    gpg.importKey(await exportArmoredPrivateKey(newcomer.privateKey));
    expect(unpadGpgOutput(gpg.decrypt(spliced))).toBe('before the newcomer joined 之前');
  });

  it('changes nothing when the newcomer is already a recipient', async () => {
    const { admin, newcomer, message, newcomerKeyId } = await setting();
    const pkesk = await rewrapSessionKey({ header: splitHeader(message)!.header, key: admin.privateKey, recipientPublicKey: newcomer.publicKey });
    const once = addRecipient({ message, pkesk, keyId: newcomerKeyId });
    const twice = addRecipient({ message: once.message, pkesk, keyId: newcomerKeyId });
    expect(twice.added).toBe(false);
    expect(twice.message).toEqual(once.message);
  });

  it('cannot re-wrap with a key that is not a recipient', async () => {
    const { newcomer, message } = await setting();
    const stranger = await generateKeyPair({ name: 'Stranger' });
    await expect(rewrapSessionKey({ header: splitHeader(message)!.header, key: stranger.privateKey, recipientPublicKey: newcomer.publicKey }))
      .rejects.toThrow(DecryptError);
  });

  it('refuses a key packet to another key, two packets, a truncated or padded packet, a v6 packet, and non-key packets', async () => {
    const { admin, newcomer, message, newcomerKeyId } = await setting();
    const header = splitHeader(message)!.header;
    const pkesk = await rewrapSessionKey({ header, key: admin.privateKey, recipientPublicKey: newcomer.publicKey });
    const other = await generateKeyPair({ name: 'Other' });
    const toOther = await rewrapSessionKey({ header, key: admin.privateKey, recipientPublicKey: other.publicKey });
    const refused = (bytes: Uint8Array) => expect(() => addRecipient({ message, pkesk: bytes, keyId: newcomerKeyId })).toThrow(CryptoInputError);
    refused(toOther); // a PKESK to a key the server did not expect
    refused(new Uint8Array([...pkesk, ...pkesk]));
    refused(pkesk.subarray(0, pkesk.length - 1));
    refused(new Uint8Array([...pkesk, 0]));
    const v6 = pkesk.slice();
    v6[2] = 6;
    refused(v6);
    const noAlgorithm = pkesk.slice();
    noAlgorithm[11] = 99;
    refused(noAlgorithm);
    refused(SEIPD_OF(message)); // encrypted data smuggled in as a "key packet"
    refused(new Uint8Array([0xcb, 0x03, 0x62, 0x00, 0x00])); // a literal (plaintext) packet
    refused(new Uint8Array(0));
    expect(readSinglePkesk(pkesk, newcomerKeyId)).toEqual(pkesk);
  });

  it('refuses to splice into something that is not an encrypted message', async () => {
    const { admin, newcomer, message, newcomerKeyId } = await setting();
    const pkesk = await rewrapSessionKey({ header: splitHeader(message)!.header, key: admin.privateKey, recipientPublicKey: newcomer.publicKey });
    for (const broken of [message.subarray(0, message.length - 1), new Uint8Array([...message, 0]), splitHeader(message)!.header]) {
      expect(() => addRecipient({ message: broken, pkesk, keyId: newcomerKeyId })).toThrow(CryptoInputError);
    }
  });

  it('reads the key packets from the first bytes of a message, and asks for more when they end too early', async () => {
    const { message, admin } = await setting();
    const full = splitHeader(message)!;
    expect(splitHeader(message.subarray(0, full.header.length + 2))).toEqual(full);
    expect(splitHeader(message.subarray(0, full.header.length - 5))).toBeUndefined();
    expect(full.keyIds[0]).toBe(await keyIdOf(admin.publicKey));
    expect(() => splitHeader(new Uint8Array([0xcb, 0x03, 0x62, 0x00, 0x00]))).toThrow(CryptoInputError);
  });
});
