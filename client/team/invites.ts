/**
 * Administrators: "Invite to the team" in the account menu (a single-use
 * link, shown once; pending links with Withdraw), and a small notice of recent
 * failed sign-ins for the team's usernames above the inbox. Strings: the
 * `invites.*` and `failedLogins.*` keys.
 */
import type { FailedLogins, InviteCreated, InviteList } from '../../common/api.ts';
import { formatDay, t, tr } from '../i18n/team.ts';
import { byId, h, setBusy, show } from '../lib/dom.ts';
import { teamGet, teamPost } from '../accounts/api.ts';
import { isAdmin, session, trustRoot } from '../accounts/keyring.ts';
import { showRefusal, TrustRefusal } from '../accounts/trust.ts';
import { inviteLinkWithRoot } from '../lib/account-keys.ts';

const dayOfMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function mountInvites(): void {
  const heading = h('h2', { id: 'invites-heading' });
  tr(heading, 'invites.heading');
  const what = h('p', { class: 'muted' });
  tr(what, 'invites.what');
  const existing = h('p', { id: 'invites-existing', class: 'notice' });
  tr(existing, 'invites.existing');
  const name = h('input', { id: 'invite-name', attrs: { type: 'text', autocomplete: 'off', maxlength: '100' } });
  const nameLabel = h('label', { attrs: { for: 'invite-name' } });
  tr(nameLabel, 'invites.displayName');
  const role = h('select', { id: 'invite-role' });
  for (const value of ['investigator', 'admin'] as const) {
    const option = h('option', { attrs: { value } });
    tr(option, `invites.role.${value}`);
    role.append(option);
  }
  const roleLabel = h('label', { attrs: { for: 'invite-role' } });
  tr(roleLabel, 'invites.role');
  const create = h('button', { id: 'invite-create', class: 'btn primary', attrs: { type: 'submit' } });
  tr(create, 'invites.create');
  const close = h('button', { id: 'invites-close', class: 'btn', attrs: { type: 'button' } });
  tr(close, 'invites.close');
  const result = h('div', { id: 'invite-result', class: 'stack' });
  const status = h('p', { id: 'invites-status', class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  const pendingHeading = h('h3');
  tr(pendingHeading, 'invites.pending');
  const pending = h('ul', { id: 'invites-pending', class: 'plain-list' });

  const form = h('form', { class: 'stack', attrs: { novalidate: '' } },
    heading, what, existing,
    h('div', { class: 'field' }, nameLabel, name),
    h('div', { class: 'field' }, roleLabel, role),
    h('div', { class: 'button-row' }, create, close),
    status, result, pendingHeading, pending,
  );
  const dialog = h('dialog', { id: 'invites-dialog', attrs: { 'aria-labelledby': 'invites-heading' } }, form);
  byId('export-dialog').after(dialog);

  const open = h('button', { id: 'invites-open', class: 'btn', attrs: { type: 'button' } });
  tr(open, 'account.invites');
  byId('logout').before(open);

  const listPending = async () => {
    const { invites } = await teamGet<InviteList>('/api/team/invites');
    pending.replaceChildren();
    if (invites.length === 0) {
      pending.append(h('li', { class: 'muted', text: t('invites.none') }));
      return;
    }
    for (const invite of invites) {
      const revoke = h('button', { class: 'btn small', attrs: { type: 'button', 'data-invite-id': invite.id } });
      tr(revoke, 'invites.revoke');
      revoke.addEventListener('click', async () => {
        try {
          await teamPost(`/api/team/invites/${invite.id}/revoke`, {});
          await listPending();
        } catch {
          tr(status, 'invites.failed');
        }
      });
      const text = t('invites.expires', {
        name: invite.displayName, role: t(`invites.role.${invite.role}`), day: formatDay(dayOfMs(invite.expiresAt)),
      });
      pending.append(h('li', {}, h('span', { text }), ' ', revoke));
    }
  };

  open.addEventListener('click', async () => {
    byId<HTMLDetailsElement>('account-menu').open = false;
    status.textContent = '';
    result.replaceChildren();
    name.value = '';
    dialog.showModal();
    try {
      await listPending();
    } catch {
      tr(status, 'invites.failed');
    }
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => result.replaceChildren()); // the link is shown once

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const displayName = name.value.trim();
    if (!displayName) return name.focus();
    // The link carries this workspace's trust root in its fragment (docs/protocol.md "v2"): none yet, no link.
    const root = trustRoot()?.root;
    if (!root) return showRefusal(status, new TrustRefusal('no-root', 'member'));
    setBusy(form, true);
    status.textContent = '';
    try {
      const created = await teamPost<InviteCreated>('/api/team/invites', { displayName, role: role.value });
      created.link = inviteLinkWithRoot(created.link, root);
      const link = h('input', { id: 'invite-link', attrs: { type: 'text', readonly: '', value: created.link } });
      const copy = h('button', { id: 'invite-copy', class: 'btn', attrs: { type: 'button' } });
      tr(copy, 'invites.copy');
      copy.addEventListener('click', async () => {
        link.select();
        await navigator.clipboard?.writeText(created.link).catch(() => undefined);
        tr(status, 'invites.copied');
      });
      result.replaceChildren(
        h('p', { class: 'notice', text: t('invites.created', { name: created.displayName }) }),
        h('div', { class: 'field' }, link), copy,
      );
      name.value = '';
      await listPending();
    } catch {
      tr(status, 'invites.failed');
    } finally {
      setBusy(form, false);
    }
  });
}

/** Shows or hides the account menu entry by role (called whenever the account is shown). */
export function showInvitesEntry(): void {
  const entry = document.getElementById('invites-open');
  if (entry) show(entry, isAdmin());
}

/** Above the inbox, for administrators: recent failed sign-ins for the team's usernames. */
export async function showFailedLogins(): Promise<void> {
  let box = document.getElementById('failed-logins');
  if (!box) {
    box = h('section', { id: 'failed-logins', class: 'notice', attrs: { 'aria-labelledby': 'failed-logins-heading' } });
    byId('inbox-view').prepend(box);
  }
  box.replaceChildren();
  show(box, false);
  if (session()?.investigator.role !== 'admin') return;
  let failures: FailedLogins['failures'];
  try {
    ({ failures } = await teamGet<FailedLogins>('/api/team/failed-logins'));
  } catch {
    return;
  }
  if (failures.length === 0) return;
  const heading = h('h2', { id: 'failed-logins-heading' });
  tr(heading, 'failedLogins.heading');
  const what = h('p', { class: 'muted' });
  tr(what, 'failedLogins.what');
  const list = h('ul', { class: 'plain-list' });
  for (const failure of failures.slice(0, 10)) {
    list.append(h('li', { text: t('failedLogins.row', { username: failure.username, day: formatDay(failure.day) }) }));
  }
  box.append(heading, what, list);
  show(box);
}

export function clearFailedLogins(): void {
  document.getElementById('failed-logins')?.replaceChildren();
}
