/**
 * Lazy access to crypto/ (the only module that imports openpgp). The report
 * and status pages call `loadCrypto()` when the worker acts, so the large
 * OpenPGP code is not part of the page's first download.
 */
export type CryptoModule = typeof import('../../crypto/index.ts');

let loading: Promise<CryptoModule> | undefined;

export function loadCrypto(): Promise<CryptoModule> {
  loading ??= import('../../crypto/index.ts').catch((error: unknown) => {
    loading = undefined; // a failed download (bad network) may be retried
    throw error;
  });
  return loading;
}

/** Starts the download early (e.g. when the worker begins typing) without waiting for it. */
export function preloadCrypto(): void {
  loadCrypto().catch(() => undefined);
}

/** Armored keys, each once, in their first order. */
export function uniqueKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/**
 * Belt and braces before an upload: an OpenPGP message starts with a packet
 * header byte whose top bit is set, JSON text never does. The server checks
 * the packets properly; this only makes a client bug fail loudly here.
 */
export function assertCiphertext(crypto: CryptoModule, b64url: string): string {
  const first = crypto.fromBase64Url(b64url.slice(0, 4))[0] ?? 0;
  if ((first & 0x80) === 0) throw new Error('refusing to send: this is not an OpenPGP message');
  return b64url;
}

/** The opaque handle of an unlocked private key (has `.wipe()`). */
export type UnlockedKey = Awaited<ReturnType<CryptoModule['unwrapKey']>>;
