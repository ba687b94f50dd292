/**
 * Pinned keys (docs/protocol.md, "Pinned keys"): a team's offline recovery
 * key certifies every investigator key of its team with an OpenPGP
 * third-party certification (signature type 0x10, "generic certification",
 * over the key's user id), made here with openpgp.js. A report form accepts a
 * recipient key only if it carries a valid certification by the recovery key
 * whose fingerprint the worker's link pins — so a server that swaps in a key
 * of its own is caught in the browser. GnuPG reads the same certification
 * (`gpg --check-sigs`).
 */
import { CryptoInputError } from './errors.ts';
import { NEUTRAL_KEY_DATE, RECOVERY_KEY_COMMENT, type UnlockedKey } from './keys.ts';
import { FULL_CONFIG, openpgp } from './openpgp.ts';

async function readPublic(armored: string, field: string): Promise<openpgp.Key> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch {
    throw new CryptoInputError(`${field} is not an OpenPGP public key`);
  }
  if (key.isPrivate()) throw new CryptoInputError(`${field}: a private key was given where a public key belongs`);
  if (key.keyPacket.version !== 4) throw new CryptoInputError(`${field}: only version 4 keys are accepted`);
  return key;
}

/** The v4 fingerprint of an armored public key: 40 lowercase hex digits. */
export async function fingerprintOf(armoredPublicKey: string): Promise<string> {
  return (await readPublic(armoredPublicKey, 'the key')).getFingerprint().toLowerCase();
}

/**
 * Certifies every user id of `publicKey` with `certifier`'s primary key and
 * returns the public key with the certification added (armored).
 *
 * Dated at the latest of NEUTRAL_KEY_DATE and both keys' creation times:
 * like the keys themselves (./keys.ts), a certification a reporter can fetch
 * tells no time (an older key already shows its own creation time; the
 * certification adds nothing to it).
 */
export async function certifyKey(opts: { publicKey: string; certifier: UnlockedKey }): Promise<string> {
  const key = await readPublic(opts.publicKey, 'the key to certify');
  const certifier = opts.certifier.pgp;
  if (key.getFingerprint() === certifier.getFingerprint()) throw new CryptoInputError('a key cannot certify itself');
  const date = new Date(Math.max(
    NEUTRAL_KEY_DATE.getTime(),
    key.getCreationTime().getTime(),
    certifier.getCreationTime().getTime(),
  ));
  const certified = await key.signAllUsers([certifier], date, FULL_CONFIG);
  return certified.armor(FULL_CONFIG);
}

/**
 * True when `publicKey` has a valid self-signed user id that carries a
 * valid, unexpired, unrevoked certification made by the primary key of
 * `certifierPublicKey` (which must itself be valid). False for anything else,
 * including keys that cannot be read: a caller never has to catch.
 */
export async function isCertifiedBy(opts: { publicKey: string; certifierPublicKey: string; date?: Date }): Promise<boolean> {
  const date = opts.date ?? new Date();
  try {
    const [key, certifier] = await Promise.all([
      readPublic(opts.publicKey, 'the key'),
      readPublic(opts.certifierPublicKey, 'the certifying key'),
    ]);
    if (key.getFingerprint() === certifier.getFingerprint()) return false;
    await certifier.verifyPrimaryKey(date, undefined, FULL_CONFIG);
    const certifierId = certifier.getKeyID();
    for (const user of key.users) {
      if (!user.userID) continue;
      const selfValid = await user.verify(date, FULL_CONFIG).then(() => true, () => false);
      if (!selfValid) continue;
      for (const certification of user.otherCertifications) {
        if (!certification.issuerKeyID.equals(certifierId)) continue;
        const valid = await user.verifyCertificate(certification, [certifier as openpgp.PublicKey], date, FULL_CONFIG)
          .then((result) => result === true, () => false);
        if (valid) return true;
      }
    }
    return false;
  } catch {
    return false;
  }
}

/**
 * The team name a recovery key vouches for itself: the name of its primary
 * user id, whose self-signature must be valid. Since protocol v2 that user id
 * is `<team> (Ombud recovery key)`; keys made by the setup and founding pages
 * before v2 carry `<team> recovery key`, and the suffix is dropped. Any other
 * user id names no team: `undefined`, and the page shows the server's name
 * marked as not confirmed by the key (docs/protocol.md, "v2: status page trust").
 */
export async function recoveryKeyTeamName(armoredPublicKey: string, date: Date = new Date()): Promise<string | undefined> {
  try {
    const key = await readPublic(armoredPublicKey, 'the recovery key');
    const primary = await key.getPrimaryUser(date, undefined, FULL_CONFIG);
    // A parsed key holds only the user id's text: `name (comment) <email>`.
    const text = primary.user.userID?.userID.trim() ?? '';
    const suffix = ` (${RECOVERY_KEY_COMMENT})`;
    if (text.endsWith(suffix) && text.length > suffix.length) return text.slice(0, -suffix.length).trim();
    const old = /^([^()<>]+?)\s+recovery key$/u.exec(text);
    if (old) return old[1]!.trim();
    return undefined;
  } catch {
    return undefined;
  }
}
