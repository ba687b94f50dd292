/**
 * "Second factor" in the account menu: set up an authenticator app (TOTP,
 * server/auth/second-factor.ts). The server draws the secret; this page shows
 * it as a QR code and as text, takes a current code to confirm, then shows
 * the ten recovery codes once. Strings: the `totp.*` keys.
 */
import type { RecoveryCodes, TotpEnrolment, TotpStatus } from '../../common/api.ts';
import { t, tr } from '../i18n/team.ts';
import { ApiError } from '../lib/api.ts';
import { byId, h, setBusy, show } from '../lib/dom.ts';
import { qrSvg } from '../lib/qr.ts';
import { teamGet, teamPost } from '../accounts/api.ts';

export function mountTotp(): void {
  const heading = h('h2', { id: 'totp-heading' });
  tr(heading, 'totp.heading');
  const what = h('p', { id: 'totp-what', class: 'muted' });
  tr(what, 'totp.what');
  const state = h('p', { id: 'totp-state', class: 'notice' });
  const start = h('button', { id: 'totp-start', class: 'btn primary', attrs: { type: 'button' } });
  tr(start, 'totp.start');
  const scan = h('p');
  tr(scan, 'totp.scan');
  const qr = h('div', { id: 'totp-qr', class: 'qr-box' });
  const secretLabel = h('span', { class: 'muted' });
  tr(secretLabel, 'totp.secret');
  const secret = h('code', { id: 'totp-secret' });
  const code = h('input', {
    id: 'totp-code', attrs: { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '[0-9]{6}' },
  });
  const codeLabel = h('label', { attrs: { for: 'totp-code' } });
  tr(codeLabel, 'totp.code');
  const confirm = h('button', { id: 'totp-confirm', class: 'btn primary', attrs: { type: 'submit' } });
  tr(confirm, 'totp.confirm');
  const enrolForm = h('form', { id: 'totp-enrol', class: 'stack', attrs: { novalidate: '' } },
    scan, qr, h('p', {}, secretLabel, ' ', secret),
    h('div', { class: 'field' }, codeLabel, code), confirm,
  );
  const recovery = h('div', { id: 'totp-recovery', class: 'stack' });
  const status = h('p', { id: 'totp-status', class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  const close = h('button', { id: 'totp-close', class: 'btn', attrs: { type: 'button' } });
  tr(close, 'totp.close');
  const dialog = h('dialog', { id: 'totp-dialog', attrs: { 'aria-labelledby': 'totp-heading' } },
    h('div', { class: 'stack' }, heading, what, state, start, enrolForm, recovery, status, h('div', { class: 'button-row' }, close)),
  );
  byId('export-dialog').after(dialog);

  const open = h('button', { id: 'totp-open', class: 'btn', attrs: { type: 'button' } });
  tr(open, 'account.totp');
  byId('logout').before(open);

  const reset = () => {
    status.textContent = '';
    qr.replaceChildren();
    secret.textContent = '';
    code.value = '';
    recovery.replaceChildren();
    show(enrolForm, false);
    show(state, false);
    show(start, false);
  };
  const showState = (current: TotpStatus) => {
    show(state, current.enabled);
    show(start, !current.enabled);
    if (current.enabled) tr(state, 'totp.enabled', { left: current.recoveryCodesLeft });
  };

  open.addEventListener('click', async () => {
    byId<HTMLDetailsElement>('account-menu').open = false;
    reset();
    dialog.showModal();
    try {
      showState(await teamGet<TotpStatus>('/api/auth/totp'));
    } catch {
      tr(status, 'totp.failed');
    }
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', reset); // the secret and the recovery codes leave the page

  start.addEventListener('click', async () => {
    status.textContent = '';
    try {
      const enrolment = await teamPost<TotpEnrolment>('/api/auth/totp/enrol', {});
      qr.replaceChildren(qrSvg(enrolment.uri, t('totp.scan')));
      secret.textContent = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
      show(start, false);
      show(enrolForm);
      code.focus();
    } catch {
      tr(status, 'totp.failed');
    }
  });

  enrolForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    setBusy(enrolForm, true);
    status.textContent = '';
    try {
      const { recoveryCodes } = await teamPost<RecoveryCodes>('/api/auth/totp/confirm', { code: code.value.trim() });
      show(enrolForm, false);
      qr.replaceChildren();
      secret.textContent = '';
      const intro = h('p', { class: 'notice' });
      tr(intro, 'totp.recovery');
      const list = h('ol', { id: 'totp-recovery-codes', class: 'recovery-codes' });
      for (const c of recoveryCodes) list.append(h('li', {}, h('code', { text: c })));
      recovery.replaceChildren(intro, list);
      showState({ enabled: true, recoveryCodesLeft: recoveryCodes.length });
    } catch (error) {
      tr(status, error instanceof ApiError && error.status === 400 ? 'totp.wrong' : 'totp.failed');
    } finally {
      setBusy(enrolForm, false);
    }
  });
}
