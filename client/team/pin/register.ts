/**
 * The team page's half of code pinning (./sw.ts does the work): after the
 * first sign-in in this browser it installs the service worker, scoped to
 * /team only; on every later load it asks the worker to look for a new
 * signed version. When the worker refuses one (not signed by the release key
 * this workspace was set up with, or a file with another hash), a plain
 * warning says so, with `data-trust-refusal="release-signature"`, and the
 * old code keeps running. Nothing is sent to the server about it.
 *
 * Deployments without a release key (no /.well-known/ombud/release-key.asc)
 * get no worker: there is nothing to pin to.
 */
import { t } from '../../i18n/team.ts';
import { byId, show } from '../../lib/dom.ts';
import { RELEASE_KEY_PATH, SW_SCOPE, SW_URL, type FromWorker } from './protocol.ts';

function showRefusal(reason: string): void {
  const box = byId('pin-warning');
  box.setAttribute('data-trust-refusal', 'release-signature');
  box.replaceChildren(t('pin.refused'));
  box.title = reason;
  show(box);
}

function onMessage(event: MessageEvent<FromWorker>): void {
  const message = event.data;
  if (message?.type === 'refused') showRefusal(message.reason);
  if (message?.type === 'state') {
    byId('pin-warning').hidden = true;
    document.documentElement.dataset.pinnedVersion = message.version;
    document.documentElement.dataset.pinnedRelease = message.fingerprint;
  }
  if (message?.type === 'updated') {
    const box = byId('pin-updated');
    box.textContent = t('pin.updated', { version: message.version });
    show(box);
  }
}

/** Each load of a page the worker controls: ask it to look for a new signed version. */
export function checkPinnedCode(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', onMessage);
  navigator.serviceWorker.controller?.postMessage({ type: 'check' });
}

/** After a sign-in: install the worker once, when the deployment publishes a release key. */
export async function pinCodeAfterSignIn(): Promise<void> {
  if (!('serviceWorker' in navigator) || location.pathname !== SW_SCOPE) return;
  if (await navigator.serviceWorker.getRegistration(SW_SCOPE)) return;
  const key = await fetch(RELEASE_KEY_PATH, { method: 'HEAD', cache: 'no-store' }).catch(() => undefined);
  if (!key?.ok) return;
  try {
    const registration = await navigator.serviceWorker.register(SW_URL, { scope: SW_SCOPE, type: 'module', updateViaCache: 'none' });
    // A first set-up whose manifest does not verify with the key served beside it fails to install.
    registration.installing?.addEventListener('statechange', (event) => {
      if ((event.target as ServiceWorker).state === 'redundant') showRefusal('the release manifest could not be checked');
    });
  } catch (error) {
    showRefusal(error instanceof Error ? error.message : String(error));
  }
}
