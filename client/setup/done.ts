/** The end of first setup: the recovery key shown once, then the pinned report link. */
import { channelLink } from '../../common/channel-link.ts';
import { httpOrigin } from '../lib/api-origin.ts';
import { t } from '../i18n/team.ts';
import { byId, focusOn, show } from '../lib/dom.ts';
import { showRecoveryKey } from '../accounts/recovery-key.ts';
import type { Created } from './create.ts';

/** First setup: the key, then the report link with its pin. */
export function showRecovery({ done, recoveryKey, recoveryArmored }: Created): void {
  showRecoveryKey({
    recoveryKey, recoveryArmored, fileName: t('setup.recovery.fileName', { slug: done.channelSlug }),
    onContinue: (fingerprint) => {
      const link = byId<HTMLAnchorElement>('setup-report-link');
      // The pinned link, as posters print it, made from the fingerprint of the key this browser just made
      // (not from the server's answer): docs/protocol.md, "Pinned keys".
      // On the worker pages' independent origin when the deployment has one (OMBUD_WORKER_ORIGIN).
      link.href = channelLink(httpOrigin(done.workerOrigin) ?? location.origin, done.channelSlug, [fingerprint]);
      link.textContent = link.href;
      show(byId('done-view'));
      focusOn(byId('done-heading'));
    },
  });
}
