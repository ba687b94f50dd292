/**
 * The server's side of pinned keys (docs/protocol.md, "Pinned keys"): every
 * investigator key that enters a team — at first setup, when a team is
 * founded, when a member is admitted — must carry a certification by the
 * team's recovery key. Checked once, when the key arrives (one signature
 * verification); the report form checks again against the pins in its link,
 * which is what protects the worker. This check keeps an honest server from
 * storing a key that every report form would refuse.
 */
import { isCertifiedBy } from '../../crypto/index.ts';
import { HttpError } from '../errors.ts';

/** 400 `key_not_certified` unless `publicKey` is certified by `recoveryPublicKey`. */
export async function assertCertified(field: string, publicKey: string, recoveryPublicKey: string): Promise<void> {
  if (!(await isCertifiedBy({ publicKey, certifierPublicKey: recoveryPublicKey }))) {
    throw new HttpError(
      400, 'key_not_certified',
      `${field}: the key is not certified by the team's recovery key; certify it with the recovery key in the browser and send it again`,
    );
  }
}
