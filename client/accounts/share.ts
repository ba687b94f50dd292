/**
 * Giving a member access to the team's earlier cases from this browser
 * (docs/protocol.md, "Re-wrapping, removal and recovery"): page through the
 * key packets of every ciphertext they cannot read yet, open each session key
 * with the team's recovery key (when it was loaded, as at admission and
 * recovery) or the signed-in administrator's own key, encrypt it to the
 * member's key, and send the new key packets in batches. Nothing is
 * decrypted but the session keys, nothing is re-uploaded, and the work can
 * stop at any point: running it again carries on with what is left.
 *
 * Called by the members list after an admission (client/team/members.ts),
 * by its "Give access to earlier cases" button, and by /recover.
 */
import type { SharePage, ShareResult } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import * as crypto from '../../crypto/index.ts';
import { t } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import { teamGet, teamPost } from './api.ts';
import { withKey } from './keyring.ts';
import { requireVouched } from './trust.ts';

export interface ShareProgress {
  /** Ciphertexts looked at so far, of `total` (those already readable count as done). */
  scanned: number;
  total: number;
  /** Key packets the server added. */
  shared: number;
  /** Ciphertexts neither key could open (e.g. this administrator joined after them, without the recovery key). */
  unreadable: number;
}

async function rewrap(header: Uint8Array, recipientPublicKey: string, recoveryKey: UnlockedKey | undefined): Promise<Uint8Array | undefined> {
  const attempts: Array<() => Promise<Uint8Array>> = [];
  if (recoveryKey) attempts.push(() => crypto.rewrapSessionKey({ header, key: recoveryKey, recipientPublicKey }));
  attempts.push(() => withKey((key) => crypto.rewrapSessionKey({ header, key, recipientPublicKey })));
  for (const attempt of attempts) {
    try {
      return await attempt();
    } catch (failure) {
      if (!(failure instanceof crypto.DecryptError) && !(failure instanceof Error && failure.message === 'signed out')) throw failure;
    }
  }
  return undefined;
}

/**
 * The server named a key other than the member's to re-wrap the session keys
 * to: nothing is sent (a server that did this would read every earlier case).
 */
export class ShareKeyError extends Error {
  override name = 'ShareKeyError';
}

/** A status line at the bottom of the page, for callers that show no progress of their own. */
function progressLine(): { update(p: ShareProgress): void; finish(p: ShareProgress): void } {
  const line = h('p', { id: 'share-progress', class: 'share-progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  document.getElementById('share-progress')?.remove();
  document.body.append(line);
  return {
    update: (p) => { line.textContent = t('share.progress', { done: p.scanned, total: p.total }); },
    finish: (p) => {
      line.textContent = p.unreadable ? t('share.partly', { shared: p.shared, unreadable: p.unreadable }) : t('share.done', { shared: p.shared });
      setTimeout(() => line.remove(), 15_000);
    },
  };
}

export async function shareExistingCases(opts: {
  investigatorId: string;
  /** The fingerprint of the key this browser means to give access to (the one it certified, or its own). */
  memberFingerprint: string;
  recoveryKey?: UnlockedKey;
  /** Without it, progress shows in a status line at the bottom of the page. */
  onProgress?: (progress: ShareProgress) => void;
}): Promise<ShareProgress> {
  const line = opts.onProgress ? undefined : progressLine();
  const report = opts.onProgress ?? ((p: ShareProgress) => line!.update(p));
  const path = `/api/team/members/${encodeURIComponent(opts.investigatorId)}/share`;
  const progress: ShareProgress = { scanned: 0, total: 0, shared: 0, unreadable: 0 };
  let after = '';
  for (;;) {
    const page = await teamGet<SharePage>(after ? `${path}?after=${encodeURIComponent(after)}` : path);
    progress.total = page.total;
    if ((await crypto.fingerprintOf(page.recipientPublicKey)) !== opts.memberFingerprint.toLowerCase()) {
      throw new ShareKeyError('the server named another key than the member’s');
    }
    // Agreeing with the members list is not enough (the server writes both answers): the key must carry
    // a certification by this workspace's trust root, checked here, whatever `certified` the server says.
    await requireVouched([page.recipientPublicKey], { role: 'member' });
    const packets: Array<{ kind: SharePage['items'][number]['kind']; id: string; pkesk: string }> = [];
    for (const item of page.items) {
      const pkesk = await rewrap(crypto.fromBase64Url(item.header), page.recipientPublicKey, opts.recoveryKey);
      if (pkesk) packets.push({ kind: item.kind, id: item.id, pkesk: crypto.toBase64Url(pkesk) });
      else progress.unreadable += 1;
    }
    for (let i = 0; i < packets.length; i += LIMITS.shareBatch) {
      const result = await teamPost<ShareResult>(path, { items: packets.slice(i, i + LIMITS.shareBatch) });
      progress.shared += result.shared;
    }
    progress.scanned = page.scanned;
    report({ ...progress });
    if (page.next === null) break;
    after = page.next;
  }
  progress.scanned = progress.total;
  line?.finish(progress);
  return progress;
}
