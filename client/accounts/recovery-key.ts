/**
 * Shows a team's recovery private key once (download, print), asks for "I
 * have saved it", then wipes it from memory and the page. Used at first
 * setup (client/setup/done.ts: then the pinned report link is shown) and when
 * a new team is founded (client/join/). Markup: #recovery-view, #recovery-key,
 * #recovery-download, #recovery-print, #recovery-saved, #recovery-continue.
 */
import { byId, focusOn, show } from '../lib/dom.ts';
import { downloadText, printPage } from '../lib/download.ts';
import type { UnlockedKey } from '../lib/crypto.ts';

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
