import { beforeAll, describe, expect, it } from 'vitest';
import { generateReleaseKey, ReleaseSignatureError, signManifest, verifyManifestSignature } from './release-signature.ts';

const bytes = new TextEncoder().encode('{"files":{"/index.html":"abc"}}\n');
let release: Awaited<ReturnType<typeof generateReleaseKey>>;
let other: Awaited<ReturnType<typeof generateReleaseKey>>;

beforeAll(async () => {
  release = await generateReleaseKey('Ombud release (test)');
  other = await generateReleaseKey('Someone else');
});

describe('the release signature over the client manifest', () => {
  it('verifies a signature by the release key over the same bytes and names the key', async () => {
    const signature = await signManifest(bytes, release.secretKey);
    expect(signature).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect(signature).not.toMatch(/Version:|Comment:/);
    await expect(verifyManifestSignature(bytes, signature, release.publicKey)).resolves.toEqual({ fingerprint: release.fingerprint });
  });

  it('refuses the signature after one byte of the manifest changed', async () => {
    const signature = await signManifest(bytes, release.secretKey);
    const changed = bytes.slice();
    changed[5] = changed[5]! ^ 1;
    await expect(verifyManifestSignature(changed, signature, release.publicKey)).rejects.toThrow(/does not match the manifest/);
  });

  it('refuses a signature by another key', async () => {
    const signature = await signManifest(bytes, other.secretKey);
    await expect(verifyManifestSignature(bytes, signature, release.publicKey)).rejects.toThrow(/not made by the release key/);
  });

  it('refuses garbage, a secret key in place of the public one, and a public key in place of the secret one', async () => {
    await expect(verifyManifestSignature(bytes, 'not a signature', release.publicKey)).rejects.toBeInstanceOf(ReleaseSignatureError);
    const signature = await signManifest(bytes, release.secretKey);
    await expect(verifyManifestSignature(bytes, signature, 'nope')).rejects.toThrow(/not an OpenPGP public key/);
    await expect(verifyManifestSignature(bytes, signature, release.secretKey)).rejects.toThrow(/secret key/);
    await expect(signManifest(bytes, release.publicKey)).rejects.toThrow(/not an OpenPGP secret key/);
  });

  it('refuses two signatures glued into one armor (only one may vouch)', async () => {
    const a = await signManifest(bytes, release.secretKey);
    const b = await signManifest(bytes, other.secretKey);
    const { openpgp } = await import('./openpgp.ts');
    const both = await openpgp.readSignature({ armoredSignature: a });
    both.packets.push(...(await openpgp.readSignature({ armoredSignature: b })).packets);
    await expect(verifyManifestSignature(bytes, both.armor(), release.publicKey)).rejects.toThrow(/2 signatures/);
  });
});
