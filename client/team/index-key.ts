/**
 * The team index key (docs/protocol.md, "Inbox index"): fetched sealed,
 * opened with the keyring's key, kept as a non-extractable WebCrypto key
 * until the keyring locks. The first investigator of a team to open the
 * inbox makes it; when the team changed (someone joined or left), whoever
 * holds it seals it again to the team's current keys.
 */
import type { IndexKeyState } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { ApiError } from '../lib/api.ts';
import { teamGet, teamPut } from '../accounts/api.ts';
import { onLock, withKey } from '../accounts/keyring.ts';
import { requireVouched, TrustRefusal, trustBanner } from '../accounts/trust.ts';

export interface IndexKey {
  key: CryptoKey;
  version: number;
}

let cached: Promise<IndexKey | undefined> | undefined;
onLock(() => {
  cached = undefined;
});

/** Seals to `recipients` only once every one is vouched for by the trust root (./trust.ts); a refusal shows a banner. */
async function seal(raw: Uint8Array, recipients: string[]): Promise<string> {
  try {
    await requireVouched(recipients, { role: 'team' });
  } catch (refusal) {
    if (refusal instanceof TrustRefusal) trustBanner(refusal);
    throw refusal;
  }
  return crypto.toBase64Url(await crypto.sealForKeys({ data: raw, recipients: [...new Set(recipients)] }));
}

async function load(): Promise<IndexKey | undefined> {
  const state = await teamGet<IndexKeyState>('/api/team/index-key');
  if (!state.key) {
    const raw = crypto.newIndexKey();
    try {
      await teamPut('/api/team/index-key', { version: 0, sealed: await seal(raw, state.recipientKeys) });
      return { key: await crypto.importIndexKey(raw), version: 1 };
    } catch (error) {
      if (error instanceof TrustRefusal) return undefined; // no index rather than a key sealed to someone unvouched
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      return load(); // a colleague made it at the same moment: use theirs
    } finally {
      crypto.wipe(raw);
    }
  }
  const { version, sealed } = state.key;
  let raw: Uint8Array;
  try {
    raw = await withKey((key) => crypto.openSealed({ sealed: crypto.fromBase64Url(sealed), key }));
  } catch {
    return undefined; // not sealed to me yet: a colleague's browser will seal it again
  }
  try {
    if (!state.current) {
      await teamPut('/api/team/index-key', { version, sealed: await seal(raw, state.recipientKeys) }).catch(() => undefined);
    }
    return { key: await crypto.importIndexKey(raw), version };
  } finally {
    crypto.wipe(raw);
  }
}

/** The team's index key, or undefined while it is not yet sealed to this investigator. */
export function teamIndexKey(): Promise<IndexKey | undefined> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
