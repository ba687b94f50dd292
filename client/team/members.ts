/**
 * The members of my team (#/members, administrators): who is pending, who is
 * admitted, whose key the team's recovery key certified; "Admit" for a
 * pending member and "Certify key" for an older member without a
 * certification — both ask for the recovery key (./admit.ts). Helper
 * "people"'s actions (give access, remove) sit beside them (./member-actions.ts).
 *
 * Test hooks: #members-link (account menu), #members-view, #members-heading,
 * #members-fingerprint, #members-list (li[data-member-id][data-state]),
 * buttons [data-admit=<id>]; the admission panel #admit-panel with
 * #admit-file, #admit-paste, #admit-submit, #admit-cancel, #admit-error,
 * #admit-progress; #members-status.
 */
import type { TeamMember, TeamMembers } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import { t, tr, type TeamMessageKey } from '../i18n/team.ts';
import { byId, focusOn, h, show } from '../lib/dom.ts';
import { AdmitError, admitMember, loadRecoveryKey, type AdmitStep } from './admit.ts';
import { teamGet } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { groupFingerprint } from './fingerprint.ts';
import { showRefusal, TrustRefusal } from '../accounts/trust.ts';
import { isAdmin, session, trustRoot } from '../accounts/keyring.ts';
import { memberActions } from './member-actions.ts';

let list: TeamMembers | undefined;
const STATE: Record<TeamMember['state'], TeamMessageKey> = {
  pending: 'members.state.pending', admitted: 'members.state.admitted', disabled: 'members.state.disabled',
};
const STEP: Record<AdmitStep, TeamMessageKey> = { certify: 'admit.step.certify', send: 'admit.step.send', share: 'admit.step.share' };

function panel(): HTMLElement {
  const file = h('input', { id: 'admit-file', attrs: { type: 'file', accept: '.asc,.txt,application/pgp-keys,text/plain' } });
  const paste = h('textarea', { id: 'admit-paste', attrs: { rows: '6', spellcheck: 'false', autocomplete: 'off' } });
  const label = (forId: string, key: TeamMessageKey) => { const l = h('label', { attrs: { for: forId } }); tr(l, key); return l; };
  const button = (id: string, key: TeamMessageKey, cls: string) => { const b = h('button', { id, class: cls, attrs: { type: 'button' } }); tr(b, key); return b; };
  const heading = h('h2', { id: 'admit-heading' });
  const what = h('p', { id: 'admit-what' });
  // The newcomer's own key as the server lists it: compared with their waiting page before it is certified.
  const memberKey = h('p', { id: 'admit-member-key', class: 'strong' });
  // …and typed back from the newcomer's own screen: the root here is their waiting page, which the server cannot write.
  const check = h('input', { id: 'admit-check', attrs: { type: 'text', autocomplete: 'off', spellcheck: 'false', inputmode: 'text', maxlength: '40' } });
  return h('div', { id: 'admit-panel', class: 'stack panel', attrs: { hidden: '', role: 'region', 'aria-labelledby': 'admit-heading' } },
    heading, memberKey,
    h('div', { class: 'field' }, h('label', { id: 'admit-check-label', attrs: { for: 'admit-check' } }), check),
    what,
    h('div', { class: 'field' }, label('admit-file', 'admit.file'), file),
    h('div', { class: 'field' }, label('admit-paste', 'admit.paste'), paste),
    h('div', { class: 'button-row' }, button('admit-submit', 'admit.submit', 'btn primary'), button('admit-cancel', 'admit.cancel', 'btn')),
    h('p', { id: 'admit-progress', class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } }),
    h('p', { id: 'admit-error', class: 'notice error', attrs: { role: 'alert', hidden: '' } }),
  );
}

export function mountMembers(): void {
  const link = h('a', { id: 'members-link', class: 'btn', attrs: { href: '#/members' } });
  tr(link, 'members.link');
  link.addEventListener('click', () => void (byId<HTMLDetailsElement>('account-menu').open = false));
  show(link, false);
  byId('logout').before(link);
  const heading = h('h1', { id: 'members-heading' });
  tr(heading, 'members.heading');
  const back = h('a', { attrs: { href: '#/' } });
  tr(back, 'case.back');
  const intro = h('p', { class: 'muted' });
  tr(intro, 'members.intro');
  byId('main').append(h('section', { id: 'members-view', attrs: { hidden: '', 'aria-labelledby': 'members-heading' } },
    h('p', {}, back), heading, intro,
    h('p', { id: 'members-fingerprint', class: 'muted' }),
    h('p', { id: 'members-status', class: 'notice', attrs: { role: 'status', hidden: '' } }),
    panel(),
    h('ul', { id: 'members-list', class: 'member-list' }),
  ));
  byId('admit-cancel').addEventListener('click', closePanel);
}

export function showMembersEntry(): void {
  show(byId('members-link'), isAdmin());
}

function closePanel(): void {
  byId<HTMLInputElement>('admit-file').value = '';
  byId<HTMLTextAreaElement>('admit-paste').value = '';
  show(byId('admit-error'), false);
  byId('admit-progress').textContent = '';
  show(byId('admit-panel'), false);
}

function say(text: string): void {
  const status = byId('members-status');
  status.textContent = text;
  show(status);
}

async function readArmored(): Promise<string> {
  const file = byId<HTMLInputElement>('admit-file').files?.[0];
  if (file) return file.text();
  return byId<HTMLTextAreaElement>('admit-paste').value;
}

function openPanel(member: TeamMember): void {
  if (!list) return;
  // The recovery key to load is the one sealed in this administrator's key envelope, not the server's word.
  const fingerprint = trustRoot()?.root ?? '';
  closePanel();
  tr(byId('admit-heading'), member.state === 'pending' ? 'admit.heading' : 'admit.certifyHeading', { name: member.displayName });
  // The fingerprint of the very key this browser will certify (not the server's `fingerprint` field): the one to compare.
  const memberKey = byId('admit-member-key');
  memberKey.textContent = '';
  void crypto.fingerprintOf(member.publicKey).then((fp) => fp, () => '').then((fp) => {
    tr(memberKey, 'admit.memberKey', { name: member.displayName, fingerprint: groupFingerprint(fp) });
  });
  tr(byId('admit-check-label'), 'admit.check', { name: member.displayName });
  byId<HTMLInputElement>('admit-check').value = '';
  tr(byId('admit-what'), 'admit.what', { fingerprint: groupFingerprint(fingerprint) });
  const submit = byId<HTMLButtonElement>('admit-submit');
  submit.onclick = async () => {
    const error = byId('admit-error');
    show(error, false);
    submit.disabled = true;
    try {
      if (!fingerprint) throw new TrustRefusal('no-root', 'member');
      const armored = await readArmored();
      // Read once: the key text leaves the page whether it turns out right, wrong or not a key.
      byId<HTMLTextAreaElement>('admit-paste').value = '';
      byId<HTMLInputElement>('admit-file').value = '';
      // Before the recovery key is unlocked: the key to certify must end as the newcomer's own screen says.
      // 16 hex digits (64 bits): a server cannot make a key of its own that ends the same.
      if (!endsAsTyped(await crypto.fingerprintOf(member.publicKey).catch(() => ''), byId<HTMLInputElement>('admit-check').value)) {
        throw new TrustRefusal('fingerprint-mismatch', 'member');
      }
      const key = await loadRecoveryKey(armored, fingerprint);
      const done = await admitMember({
        member, recoveryKey: key,
        onStep: (step, p) => tr(byId('admit-progress'), STEP[step], { done: p?.scanned ?? 0, total: p?.total ?? 0 }),
      });
      closePanel();
      say(done.shareError ? t('admit.doneShareFailed', { name: member.displayName, reason: problem(done.shareError) })
        : t('admit.done', { name: member.displayName, shared: done.shared?.shared ?? 0 }));
      await showMembers();
    } catch (failure) {
      if (failure instanceof TrustRefusal) showRefusal(error, failure);
      else error.textContent = failure instanceof AdmitError ? t(`admit.${failure.problem}`, { fingerprint: groupFingerprint(fingerprint) }) : t('admit.failed', { reason: problem(failure) });
      show(error);
      focusOn(error);
    } finally {
      submit.disabled = false;
    }
  };
  show(byId('admit-panel'));
  focusOn(byId('admit-heading'));
}

/** Whether `typed` (spaces and case aside) is at least the last 16 hex digits of `fingerprint`, and matches them. */
export function endsAsTyped(fingerprint: string, typed: string): boolean {
  const wanted = typed.replace(/\s+/g, '').toLowerCase();
  return /^[0-9a-f]{16,40}$/.test(wanted) && fingerprint.length === 40 && fingerprint.toLowerCase().endsWith(wanted);
}

function row(member: TeamMember): HTMLElement {
  const state = h('span', { class: `badge member-${member.state}` });
  tr(state, STATE[member.state]);
  const role = h('span', { class: 'muted' });
  tr(role, member.role === 'admin' ? 'members.role.admin' : 'members.role.investigator');
  const items: HTMLElement[] = [h('strong', { text: member.displayName }), role, state];
  if (member.state !== 'disabled' && !member.certified) {
    const note = h('span', { class: 'badge warning' });
    tr(note, 'members.notCertified');
    items.push(note);
  }
  if (member.state === 'pending' || (member.state === 'admitted' && !member.certified)) {
    const admit = h('button', { class: 'btn small primary', attrs: { type: 'button', 'data-admit': member.id } });
    tr(admit, member.state === 'pending' ? 'members.admit' : 'members.certify');
    admit.addEventListener('click', () => openPanel(member));
    items.push(admit);
  }
  const me = session()?.investigator.id ?? '';
  items.push(...memberActions(member, { selfId: me, onChanged: () => void showMembers() }));
  return h('li', { attrs: { 'data-member-id': member.id, 'data-state': member.state } }, ...items);
}

export async function showMembers(): Promise<void> {
  const ul = byId('members-list');
  try {
    list = await teamGet<TeamMembers>('/api/team/members');
  } catch (failure) {
    ul.replaceChildren();
    return say(problem(failure));
  }
  tr(byId('members-fingerprint'), 'members.fingerprint', { fingerprint: groupFingerprint(list.recoveryFingerprint) });
  ul.replaceChildren(...list.members.map(row));
  const unconfirmed = list.members.some((m) => m.state === 'admitted' && !m.certified);
  if (unconfirmed && byId('members-status').hidden) say(t('members.notCertifiedHint'));
}

/** On sign-out: no member list, no recovery key text, no half-filled panel. */
export function clearMembers(): void {
  list = undefined;
  if (!document.getElementById('members-list')) return;
  closePanel();
  byId('members-list').replaceChildren();
  show(byId('members-status'), false);
}
