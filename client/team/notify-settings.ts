/**
 * "E-mail notices" in the account menu: the investigator's own address for
 * notices (server/notify/), optionally encrypted to their key. The dialog is
 * built here rather than in team.html so that the whole feature sits in one
 * module; its strings are the `notify.*` keys of the team catalog.
 */
import { tr, type TeamMessageKey } from '../i18n/team.ts';
import { ApiError } from '../lib/api.ts';
import { byId, h, setBusy, show } from '../lib/dom.ts';
import { teamGet, teamPost } from '../accounts/api.ts';

interface NotificationSettings {
  email: string | null;
  encrypt: boolean;
  mailConfigured: boolean;
}

const PATH = '/api/account/notifications';

function labelled(key: TeamMessageKey): HTMLElement {
  const span = h('span');
  tr(span, key);
  return span;
}

export function mountNotifySettings(): void {
  // type=text + inputmode=email: the e-mail keyboard on phones, the page's input style; the server validates.
  const email = h('input', { id: 'notify-email', attrs: { type: 'text', inputmode: 'email', autocomplete: 'email', autocapitalize: 'off', spellcheck: 'false', 'aria-describedby': 'notify-what' } });
  const encrypt = h('input', { id: 'notify-encrypt', attrs: { type: 'checkbox' } });
  const off = h('p', { id: 'notify-off', class: 'notice' });
  const status = h('p', { id: 'notify-status', class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  const save = h('button', { id: 'notify-save', class: 'btn primary', attrs: { type: 'submit' } });
  const close = h('button', { id: 'notify-close', class: 'btn', attrs: { type: 'button' } });
  const heading = h('h2', { id: 'notify-heading' });
  const what = h('p', { id: 'notify-what', class: 'muted' });
  const emailLabel = h('label', { attrs: { for: 'notify-email' } });
  tr(heading, 'notify.heading');
  tr(what, 'notify.what');
  tr(emailLabel, 'notify.email');
  tr(off, 'notify.notConfigured');
  tr(save, 'notify.save');
  tr(close, 'notify.close');
  const form = h('form', { class: 'stack', attrs: { novalidate: '' } },
    heading, what, off,
    h('div', { class: 'field' }, emailLabel, email),
    h('label', { class: 'check', attrs: { for: 'notify-encrypt' } }, encrypt, labelled('notify.encrypt')),
    status,
    h('div', { class: 'button-row' }, save, close),
  );
  const dialog = h('dialog', { id: 'notify-dialog', attrs: { 'aria-labelledby': 'notify-heading' } }, form);
  byId('export-dialog').after(dialog);

  const open = h('button', { id: 'notify-open', class: 'btn', attrs: { type: 'button' } });
  tr(open, 'account.notifications');
  byId('logout').before(open);

  open.addEventListener('click', async () => {
    byId<HTMLDetailsElement>('account-menu').open = false;
    status.textContent = '';
    show(off, false);
    dialog.showModal();
    setBusy(form, true);
    try {
      const current = await teamGet<NotificationSettings>(PATH);
      email.value = current.email ?? '';
      encrypt.checked = current.encrypt;
      show(off, !current.mailConfigured);
    } catch {
      tr(status, 'notify.failed');
    } finally {
      setBusy(form, false);
    }
  });
  close.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const address = email.value.trim();
    setBusy(form, true);
    try {
      await teamPost<NotificationSettings>(PATH, { email: address === '' ? null : address, encrypt: encrypt.checked });
      tr(status, address === '' ? 'notify.removed' : 'notify.saved');
    } catch (error) {
      tr(status, error instanceof ApiError && error.status === 400 ? 'notify.invalid' : 'notify.failed');
    } finally {
      setBusy(form, false);
    }
  });
}
