/**
 * The recorder's eye (tests/security/support/recipients.ts): it finds the
 * keys a request body is encrypted to, whether the body is raw OpenPGP (an
 * upload) or JSON holding base64url OpenPGP (a reply, a sealed index key, a
 * re-wrapped PKESK) — and finds none in a body that carries no ciphertext.
 */
import { describe, expect, it } from 'vitest';
import { describePublicKey, encryptJson, encryptPayload, fromBase64Url, generateKeyPair, splitHeader, toBase64Url, utf8 } from '../../../crypto/index.ts';
import { pkeskKeyIds, recipientKeyIds } from '../support/recipients.ts';

describe('the key ids of a request body', () => {
  it('reads them from raw OpenPGP, from JSON holding base64url OpenPGP, and from a lone PKESK', async () => {
    const [a, b] = await Promise.all([generateKeyPair({ name: 'a', kind: 'team' }), generateKeyPair({ name: 'b', kind: 'team' })]);
    const ids = async (k: string) => (await describePublicKey(k)).encryptionKeyIds.map((id) => id.toLowerCase());
    const [idA, idB] = [await ids(a.publicKey), await ids(b.publicKey)];
    const raw = await encryptPayload({ data: utf8('hello'), recipients: [a.publicKey, b.publicKey] });
    expect(recipientKeyIds(Buffer.from(raw)).sort()).toEqual([...idA, ...idB].sort());
    const body = await encryptJson({ value: { text: 'hi' }, recipients: [b.publicKey] });
    expect(recipientKeyIds(Buffer.from(JSON.stringify({ lookupId: 'x'.repeat(43), body })))).toEqual(idB);
    const pkesk = toBase64Url(splitHeader(fromBase64Url(body))!.header);
    expect(recipientKeyIds(Buffer.from(JSON.stringify({ items: [{ kind: 'report', id: 'c1', pkesk }] })))).toEqual(idB);
    expect(pkeskKeyIds(utf8('{"not":"openpgp"}'))).toEqual([]);
    expect(recipientKeyIds(Buffer.from(JSON.stringify({ publicKey: a.publicKey, name: 'A'.repeat(40) })))).toEqual([]);
    expect(recipientKeyIds(null)).toEqual([]);
  });
});
