/**
 * The reporter key pair of the report being written. Attachments are
 * encrypted to it as soon as they are chosen, so the same pair must be used
 * when the report is sent (and again if sending has to be retried). It lives
 * in this module's memory only and is wiped once the report is received or
 * the page is left.
 */
import { loadCrypto } from '../lib/crypto.ts';
import type { CryptoModule } from '../lib/crypto.ts';

type KeyPair = Awaited<ReturnType<CryptoModule['generateKeyPair']>>;

let pending: Promise<KeyPair> | undefined;

export function reporterKey(): Promise<KeyPair> {
  pending ??= loadCrypto()
    // kind 'reporter': a fixed creation date, so the public key does not tell when the worker reported.
    .then((crypto) => crypto.generateKeyPair({ kind: 'reporter' }))
    .catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
  return pending;
}

/** After the report was received: wipe the private key; the next report gets a new pair. */
export function forgetReporterKey(): void {
  const done = pending;
  pending = undefined;
  void done?.then((pair) => pair.privateKey.wipe()).catch(() => undefined);
}

// A page kept for the back button (bfcache) keeps its key: its uploaded files were encrypted to it.
addEventListener('pagehide', (event) => {
  if (!event.persisted) forgetReporterKey();
});
