/**
 * The release signature: a detached, armored OpenPGP signature by the
 * release key over the exact bytes of the client manifest
 * (`/.well-known/ombud/manifest.json`, docs/verifying.md).
 *
 * Whoever holds the release key vouches for the whole client; the server
 * that serves the manifest does not hold it, so a server that rewrites the
 * JavaScript must also present a manifest signed by a key it does not have.
 * Verified by `ombud verify-deployment`, by the server at start, and by the
 * workspace's service worker before it takes a new version of the code.
 *
 * Isomorphic (browser and Node), like the rest of crypto/.
 */
import { FULL_CONFIG, openpgp, PGP_CONFIG } from './openpgp.ts';

/** A signature that is not a valid release signature over these bytes by this key (the message says why). */
export class ReleaseSignatureError extends Error {
  override name = 'ReleaseSignatureError';
}

async function readPublicKey(armoredPublicKey: string): Promise<openpgp.PublicKey> {
  try {
    const key = await openpgp.readKey({ armoredKey: armoredPublicKey });
    if (key.isPrivate()) throw new ReleaseSignatureError('the release public key file holds a secret key: publish the public half only');
    return key as openpgp.PublicKey;
  } catch (error) {
    if (error instanceof ReleaseSignatureError) throw error;
    throw new ReleaseSignatureError('the release public key is not an OpenPGP public key');
  }
}

/** An armored detached signature over `bytes` by the (unprotected) armored secret key. */
export async function signManifest(bytes: Uint8Array, armoredSecretKey: string): Promise<string> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armoredSecretKey });
  } catch {
    throw new ReleaseSignatureError('the release secret key is not an OpenPGP secret key');
  }
  if (!key.isDecrypted()) {
    throw new ReleaseSignatureError('the release secret key is passphrase-protected: export an unprotected copy to a RAM disk for signing (gpg --export-secret-keys after removing the passphrase), or sign with gpg --detach-sign --armor');
  }
  const message = await openpgp.createMessage({ binary: bytes });
  return openpgp.sign({ message, signingKeys: key, detached: true, format: 'armored', config: PGP_CONFIG });
}

/**
 * Checks that `armoredSignature` is exactly one valid detached signature by
 * `armoredPublicKey` over `bytes`; returns the release key's (primary)
 * fingerprint, lowercase hex. Throws ReleaseSignatureError otherwise.
 */
export async function verifyManifestSignature(
  bytes: Uint8Array,
  armoredSignature: string,
  armoredPublicKey: string,
): Promise<{ fingerprint: string }> {
  const key = await readPublicKey(armoredPublicKey);
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ armoredSignature });
  } catch {
    throw new ReleaseSignatureError('the manifest signature is not an OpenPGP signature');
  }
  if (signature.packets.length !== 1) {
    throw new ReleaseSignatureError(`the manifest signature holds ${signature.packets.length} signatures, not one`);
  }
  const message = await openpgp.createMessage({ binary: bytes });
  const { signatures } = await openpgp.verify({ message, signature, verificationKeys: key, config: FULL_CONFIG });
  const [only] = signatures;
  if (!only) throw new ReleaseSignatureError('the manifest signature is empty');
  try {
    await only.verified;
  } catch (error) {
    const why = (error as Error).message.includes('Could not find signing key')
      ? 'it was not made by the release key'
      : 'it does not match the manifest\'s bytes';
    throw new ReleaseSignatureError(`the manifest signature is not valid: ${why}`);
  }
  return { fingerprint: key.getFingerprint() };
}

/**
 * A new release key pair (v4 Ed25519, no passphrase), armored: for tests and
 * for `ombud release-key` on the release manager's own machine. The secret
 * half never belongs in the repository or on the server.
 */
export async function generateReleaseKey(name: string): Promise<{ publicKey: string; secretKey: string; fingerprint: string }> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    userIDs: [{ name }],
    format: 'object',
    config: PGP_CONFIG,
  });
  return { publicKey: publicKey.armor(FULL_CONFIG), secretKey: privateKey.armor(FULL_CONFIG), fingerprint: publicKey.getFingerprint() };
}
