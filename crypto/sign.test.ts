import { describe, expect, it } from 'vitest';
import { generateKeyPair } from './keys.ts';
import { signPossession, signPrompt, verifyPossession, verifyPrompt } from './sign.ts';

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

describe('the signature over a recorded prompt', () => {
  const sha = 'a'.repeat(64);
  it('holds for the same language, clip and hash by the same key only, and is never a proof of possession', async () => {
    const admin = await generateKeyPair({ name: 'Admin' });
    const other = await generateKeyPair({ name: 'Other' });
    const signature = await signPrompt({ lang: 'en', clip: 'report.what#0', sha256: sha, key: admin.privateKey });
    const ok = { lang: 'en', clip: 'report.what#0', sha256: sha, signature, publicKey: admin.publicKey };
    expect(await verifyPrompt(ok)).toBe(true);
    expect(await verifyPrompt({ ...ok, lang: 'es' })).toBe(false);
    expect(await verifyPrompt({ ...ok, clip: 'report.send#0' })).toBe(false);
    expect(await verifyPrompt({ ...ok, sha256: 'b'.repeat(64) })).toBe(false);
    expect(await verifyPrompt({ ...ok, publicKey: other.publicKey })).toBe(false);
    expect(await verifyPrompt({ ...ok, signature: 'garbage' })).toBe(false);
    expect(await verifyPrompt({ ...ok, sha256: 'not hex' })).toBe(false);
    expect(await verifyPossession({ text: `en\nreport.what#0\n${sha}`, signature, publicKey: admin.publicKey })).toBe(false);
  });
});
