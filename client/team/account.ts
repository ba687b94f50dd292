/** The account menu: who is signed in, the audit trail, key export (after a confirmation), sign-out. */
import { t } from '../i18n/team.ts';
import { byId, show } from '../lib/dom.ts';
import { downloadText } from '../lib/download.ts';
import { teamPost } from '../accounts/api.ts';
import { exportPrivateKey, lock, session } from '../accounts/keyring.ts';
import { mountNotifySettings } from './notify-settings.ts';
import { mountInvites, showInvitesEntry } from './invites.ts';
import { mountTotp } from './totp.ts';

export function showAccount(): void {
  const s = session();
  const menu = byId<HTMLDetailsElement>('account-menu');
  if (!s) return void show(menu, false);
  byId('account-name').textContent = s.investigator.displayName;
  byId('account-team').textContent = t('account.team', { team: s.investigator.teamName });
  menu.open = false;
  showInvitesEntry();
  show(menu);
}

export function mountAccount(): void {
  mountNotifySettings();
  mountTotp();
  mountInvites();
  const dialog = byId<HTMLDialogElement>('export-dialog');
  byId('export-key').addEventListener('click', () => {
    byId<HTMLDetailsElement>('account-menu').open = false;
    dialog.returnValue = ''; // Escape keeps the previous value otherwise
    dialog.showModal();
  });
  dialog.addEventListener('close', async () => {
    const username = session()?.investigator.username;
    if (dialog.returnValue !== 'export' || !username) return;
    downloadText(t('export.fileName', { username }), await exportPrivateKey(), 'application/pgp-keys');
  });
  byId('audit-link').addEventListener('click', () => {
    byId<HTMLDetailsElement>('account-menu').open = false;
  });
  byId('logout').addEventListener('click', async () => {
    try {
      await teamPost('/api/auth/logout', {});
    } catch {
      // The key is wiped below whatever the server says.
    }
    lock('logout');
  });
}
