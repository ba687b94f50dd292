/**
 * The members list's actions of helper "people" (the list itself is
 * client/team/members.ts): "Give access to earlier cases" for an admitted
 * member (re-wraps what they cannot read yet: ./share.ts; resumable, so it
 * is also how an interrupted admission carries on), and "Remove", behind a
 * confirmation that says what removal cannot take back
 * (docs/threat-model.md).
 *
 * Test hooks: buttons `[data-give-access=<id>]`, `[data-remove=<id>]`; the
 * dialog #remove-dialog with #remove-confirm and #remove-cancel; the
 * status line `[data-member-status=<id>]`.
 */
import type { MemberRemoved, TeamMember } from '../../common/api.ts';
import { t, tr } from '../i18n/team.ts';
import { fingerprintOf } from '../../crypto/index.ts';
import { h } from '../lib/dom.ts';
import { teamPost } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { shareExistingCases } from '../accounts/share.ts';
import { showProblem } from '../accounts/trust.ts';

function removeDialog(): { dialog: HTMLDialogElement; heading: HTMLElement; confirm: HTMLButtonElement } {
  const existing = document.getElementById('remove-dialog') as HTMLDialogElement | null;
  if (existing) {
    return { dialog: existing, heading: document.getElementById('remove-heading')!, confirm: document.getElementById('remove-confirm') as HTMLButtonElement };
  }
  const heading = h('h2', { id: 'remove-heading' });
  const what = h('p');
  tr(what, 'members.removeWhat');
  const cannot = h('p', { class: 'notice' });
  tr(cannot, 'members.removeCannot');
  const confirm = h('button', { id: 'remove-confirm', class: 'btn danger', attrs: { type: 'submit', value: 'remove' } });
  const cancel = h('button', { id: 'remove-cancel', class: 'btn', attrs: { type: 'submit', value: 'cancel' } });
  tr(cancel, 'members.cancel');
  const form = h('form', { class: 'stack', attrs: { method: 'dialog' } }, heading, what, cannot, h('div', { class: 'button-row' }, confirm, cancel));
  const dialog = h('dialog', { id: 'remove-dialog', attrs: { 'aria-labelledby': 'remove-heading' } }, form);
  document.body.append(dialog);
  return { dialog, heading, confirm };
}

/** Asks; resolves true when the administrator confirmed. */
function confirmRemoval(member: TeamMember): Promise<boolean> {
  const { dialog, heading, confirm } = removeDialog();
  tr(heading, 'members.removeHeading', { name: member.displayName });
  tr(confirm, 'members.removeConfirm', { name: member.displayName });
  dialog.returnValue = '';
  dialog.showModal();
  document.getElementById('remove-cancel')?.focus();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'remove'), { once: true }));
}

export function memberActions(member: TeamMember, opts: { selfId: string; onChanged: () => void }): HTMLElement[] {
  if (member.state === 'disabled') return [];
  const status = h('span', { class: 'member-status', attrs: { role: 'status', 'aria-live': 'polite', 'data-member-status': member.id } });
  const actions: HTMLElement[] = [];
  if (member.state === 'admitted' && member.id !== opts.selfId) {
    const give = h('button', { class: 'btn small', attrs: { type: 'button', 'data-give-access': member.id } });
    tr(give, 'members.giveAccess');
    give.addEventListener('click', async () => {
      give.disabled = true;
      try {
        const done = await shareExistingCases({
          investigatorId: member.id,
          memberFingerprint: await fingerprintOf(member.publicKey),
          onProgress: (p) => tr(status, 'share.progress', { done: p.scanned, total: p.total }),
        });
        tr(status, done.unreadable ? 'share.partly' : 'share.done', { shared: done.shared, unreadable: done.unreadable });
      } catch (failure) {
        showProblem(status, failure, (f) => t('share.failed', { reason: problem(f) }));
      } finally {
        give.disabled = false;
      }
    });
    actions.push(give);
  }
  const remove = h('button', { class: 'btn small danger', attrs: { type: 'button', 'data-remove': member.id } });
  tr(remove, 'members.remove');
  remove.addEventListener('click', async () => {
    if (!(await confirmRemoval(member))) return;
    remove.disabled = true;
    try {
      await teamPost<MemberRemoved>(`/api/team/members/${encodeURIComponent(member.id)}/remove`, {});
      status.textContent = t('members.removed', { name: member.displayName });
      opts.onChanged();
    } catch (failure) {
      status.textContent = t('members.removeFailed', { reason: problem(failure) });
      remove.disabled = false;
    }
  });
  actions.push(remove, status);
  return actions;
}
