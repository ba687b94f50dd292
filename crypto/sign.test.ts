import { describe, expect, it } from 'vitest';
import { generateKeyPair } from './keys.ts';
import { signPossession, verifyPossession } from './sign.ts';

describe('proof of possession of a private key', () => {
  it('verifies a signature over the same text by the same key, and nothing else', async () => {
    const recovery = await generateKeyPair({ name: 'Recovery' });
    const other = await generateKeyPair({ name: 'Other' });
    const signature = await signPossession({ text: 'r1.challenge', key: recovery.privateKey });
    expect(signature).toContain('BEGIN PGP SIGNATURE');
    expect(await verifyPossession({ text: 'r1.challenge', signature, publicKey: recovery.publicKey })).toBe(true);
    expect(await verifyPossession({ text: 'r1.challengf', signature, publicKey: recovery.publicKey })).toBe(false);
    expect(await verifyPossession({ text: 'r1.challenge', signature, publicKey: other.publicKey })).toBe(false);
    const byOther = await signPossession({ text: 'r1.challenge', key: other.privateKey });
    expect(await verifyPossession({ text: 'r1.challenge', signature: byOther, publicKey: recovery.publicKey })).toBe(false);
    expect(await verifyPossession({ text: 'r1.challenge', signature: 'not a signature', publicKey: recovery.publicKey })).toBe(false);
  });
});
