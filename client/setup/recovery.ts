/**
 * Shows the recovery private key once (download, print), asks for "I have
 * saved it", then wipes it from memory and the page and shows the report link.
 */
import type { SetupDone } from '../../common/api.ts';
import { channelLink } from '../../common/channel-link.ts';
import { t } from '../i18n/team.ts';
import { byId, focusOn, show } from '../lib/dom.ts';
import { downloadText, printPage } from '../lib/download.ts';
import type { Created } from './create.ts';

function showDone(done: SetupDone, recoveryFingerprint: string): void {
  const link = byId<HTMLAnchorElement>('setup-report-link');
  // The pinned link, as posters print it, made from the fingerprint of the key this browser just made
  // (not from the server's answer): docs/protocol.md, "Pinned keys".
  link.href = channelLink(location.origin, done.channelSlug, [recoveryFingerprint]);
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
  const fingerprint = recoveryKey.fingerprint;

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
    showDone(done, fingerprint);
  };
  show(view);
  focusOn(byId('recovery-heading'));
}
