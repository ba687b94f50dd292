/**
 * A member who accepted an invitation but was not admitted yet (server:
 * `investigator.admitted === false`, every case route answers 403
 * `not_admitted`): instead of the inbox, a plain page that says what is
 * missing and who can do it. Until an administrator of the team certifies
 * their key with the team's recovery key, no report is encrypted to them.
 *
 * Test hooks: #pending-view, #pending-heading, #pending-fingerprint.
 */
import { tr } from '../i18n/team.ts';
import { byId, h } from '../lib/dom.ts';
import { groupFingerprint } from './fingerprint.ts';
import { session, withKey } from '../accounts/keyring.ts';

export function mountPending(): void {
  const heading = h('h1', { id: 'pending-heading' });
  tr(heading, 'pending.heading');
  const what = h('p');
  tr(what, 'pending.what');
  const next = h('p', { class: 'muted' });
  tr(next, 'pending.next');
  byId('main').append(h('section', { id: 'pending-view', class: 'narrow stack', attrs: { hidden: '', 'aria-labelledby': 'pending-heading' } },
    heading, what, next, h('p', { id: 'pending-fingerprint' })));
}

export function isPending(): boolean {
  return session()?.investigator.admitted === false;
}

/** Shows the member's own key fingerprint, so the administrator can compare it before admitting. */
export async function showPending(): Promise<void> {
  const me = session();
  if (!me) return;
  // From the unlocked private key itself, not the public key the server hands back: what the administrator compares.
  const fingerprint = await withKey(async (key) => key.fingerprint.toLowerCase()).catch(() => '');
  tr(byId('pending-fingerprint'), 'pending.fingerprint', { fingerprint: groupFingerprint(fingerprint) });
}
