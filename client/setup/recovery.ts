/**
 * Shows the recovery private key once (download, print), asks for "I have
 * saved it", then wipes it from memory and the page and shows the report link.
 */
import type { SetupDone } from '../../common/api.ts';
import { t } from '../i18n/team.ts';
import { byId, focusOn, show } from '../lib/dom.ts';
import { downloadText, printPage } from '../lib/download.ts';
import type { Created } from './create.ts';

function showDone(done: SetupDone): void {
  const link = byId<HTMLAnchorElement>('setup-report-link');
  link.href = `${location.origin}/r/${done.channelSlug}`;
  link.textContent = link.href;
  show(byId('done-view'));
  focusOn(byId('done-heading'));
}

export function showRecovery({ done, recoveryKey, recoveryArmored }: Created): void {
  const view = byId('recovery-view');
  const pre = byId('recovery-key');
  const saved = byId<HTMLInputElement>('recovery-saved');
  const next = byId<HTMLButtonElement>('recovery-continue');
  let armored: string | undefined = recoveryArmored;

  pre.textContent = armored;
  byId('recovery-download').onclick = () => {
    if (armored) downloadText(t('setup.recovery.fileName', { slug: done.channelSlug }), armored, 'application/pgp-keys');
  };
  byId('recovery-print').onclick = printPage;
  saved.onchange = () => {
    next.disabled = !saved.checked;
  };
  next.onclick = () => {
    recoveryKey.wipe();
    armored = undefined;
    pre.textContent = '';
    show(view, false);
    showDone(done);
  };
  show(view);
  focusOn(byId('recovery-heading'));
}
