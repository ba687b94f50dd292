/**
 * Shows a team's recovery private key once (download, print), asks for "I
 * have saved it", then wipes it from memory and the page. Used at first
 * setup (then the pinned report link is shown) and when a new team is founded
 * (client/join/found.ts). Markup: #recovery-view, #recovery-key,
 * #recovery-download, #recovery-print, #recovery-saved, #recovery-continue.
 */
import { channelLink } from '../../common/channel-link.ts';
import { t } from '../i18n/team.ts';
import { byId, focusOn, show } from '../lib/dom.ts';
import { downloadText, printPage } from '../lib/download.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import type { Created } from './create.ts';

export function showRecoveryKey(opts: {
  recoveryKey: UnlockedKey;
  recoveryArmored: string;
  fileName: string;
  /** After the key was wiped; gets the recovery key's fingerprint (read before wiping). */
  onContinue: (fingerprint: string) => void;
}): void {
  const view = byId('recovery-view');
  const pre = byId('recovery-key');
  const saved = byId<HTMLInputElement>('recovery-saved');
  const next = byId<HTMLButtonElement>('recovery-continue');
  let armored: string | undefined = opts.recoveryArmored;
  const fingerprint = opts.recoveryKey.fingerprint;

  pre.textContent = armored;
  byId('recovery-download').onclick = () => {
    if (armored) downloadText(opts.fileName, armored, 'application/pgp-keys');
  };
  byId('recovery-print').onclick = printPage;
  saved.onchange = () => {
    next.disabled = !saved.checked;
  };
  next.onclick = () => {
    opts.recoveryKey.wipe();
    armored = undefined;
    pre.textContent = '';
    show(view, false);
    opts.onContinue(fingerprint);
  };
  show(view);
  focusOn(byId('recovery-heading'));
}

/** First setup: the key, then the report link with its pin. */
export function showRecovery({ done, recoveryKey, recoveryArmored }: Created): void {
  showRecoveryKey({
    recoveryKey, recoveryArmored, fileName: t('setup.recovery.fileName', { slug: done.channelSlug }),
    onContinue: (fingerprint) => {
      const link = byId<HTMLAnchorElement>('setup-report-link');
      // The pinned link, as posters print it, made from the fingerprint of the key this browser just made
      // (not from the server's answer): docs/protocol.md, "Pinned keys".
      link.href = channelLink(location.origin, done.channelSlug, [fingerprint]);
      link.textContent = link.href;
      show(byId('done-view'));
      focusOn(byId('done-heading'));
    },
  });
}
