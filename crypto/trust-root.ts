/**
 * The workspace's key rule (docs/protocol.md, "v2: workspace trust root"):
 * a key the workspace encrypts or re-wraps to is acceptable only if it is a
 * recovery key whose fingerprint is one of the roots from the key envelope,
 * or carries a valid certification by such a recovery key. Which recovery
 * *public* keys to check with may come from the server (a session, a case's
 * key list): only their fingerprints are trusted, and those come from the
 * envelope.
 */
import { fingerprintOf, isCertifiedBy } from './certify.ts';

export type KeyVerdict = { ok: true } | { ok: false; key: string };

/**
 * Checks every key of `keys` against `roots` (fingerprints from the envelope),
 * using `recoveryKeys` (armored, any source: matched by fingerprint) as the
 * certifiers. Answers the first key that fails. Never throws.
 */
export async function checkKeysAgainstRoots(opts: {
  keys: readonly string[];
  roots: readonly string[];
  recoveryKeys: readonly string[];
  date?: Date;
}): Promise<KeyVerdict> {
  const roots = new Set(opts.roots.map((fp) => fp.toLowerCase()));
  const certifiers: string[] = [];
  for (const candidate of new Set([...opts.recoveryKeys, ...opts.keys])) {
    const fp = await fingerprintOf(candidate).catch(() => '');
    if (roots.has(fp)) certifiers.push(candidate);
  }
  for (const key of opts.keys) {
    const fp = await fingerprintOf(key).catch(() => '');
    if (fp && roots.has(fp)) continue;
    let vouched = false;
    for (const certifier of certifiers) {
      if (await isCertifiedBy({ publicKey: key, certifierPublicKey: certifier, ...(opts.date ? { date: opts.date } : {}) })) {
        vouched = true;
        break;
      }
    }
    if (!vouched) return { ok: false, key };
  }
  return { ok: true };
}
