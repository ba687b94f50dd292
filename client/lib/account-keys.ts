/**
 * The password side of a new investigator account, made in this browser
 * (docs/protocol.md §3, and "v2: workspace trust root"): a fresh salt, the
 * login verifier, and the key envelope — the private key and the trust root
 * sealed by the password-derived key, which is wiped at once. Used by the
 * first administrator's setup, founding, invited newcomers and /recover.
 *
 * `trust` null (an invitation link made before v2, which carries no root)
 * makes a version 1 envelope: the first sign-in then asks to confirm the
 * team's recovery fingerprint (client/team/trust-setup.ts).
 */
import type { KdfParams } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import type { UnlockedKey } from './crypto.ts';

export interface SealedAccountKey {
  salt: string;
  verifier: string;
  wrappedPrivateKey: string;
}

export async function sealAccountKey(key: UnlockedKey, password: string, kdf: KdfParams, trust: crypto.TrustRoot | null): Promise<SealedAccountKey> {
  const salt = crypto.newSalt();
  const secrets = await crypto.derivePasswordSecrets(password, salt, kdf);
  try {
    const wrappedPrivateKey = trust
      ? await crypto.sealEnvelope({ key, trust, wrapKey: secrets.wrapKey })
      : await crypto.wrapKey({ key, wrapKey: secrets.wrapKey, purpose: 'investigator' });
    return { salt, verifier: secrets.verifier, wrappedPrivateKey };
  } finally {
    secrets.wrapKey.fill(0);
  }
}

const ROOT = /^[0-9a-f]{40}$/;

/**
 * An invitation link's fragment: `#<token>~<root>`, the root (the team's
 * recovery fingerprint) added by the inviting administrator's browser from
 * its own envelope. The fragment never reaches the server. A link without
 * `~<root>` (made before v2) gives root null.
 */
export function readInviteFragment(fragment: string): { token: string; root: string | null } {
  const [token = '', root] = fragment.split('~');
  return { token, root: root !== undefined && ROOT.test(root.toLowerCase()) ? root.toLowerCase() : null };
}

/** The link to hand the newcomer: the server's link with this browser's root in the fragment. */
export function inviteLinkWithRoot(serverLink: string, root: string): string {
  const url = new URL(serverLink);
  const token = url.hash.slice(1).split('~')[0] ?? '';
  url.hash = `${token}~${root.toLowerCase()}`;
  return url.toString();
}
