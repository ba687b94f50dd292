/**
 * The page side of the KDF floor (crypto/kdf.ts checkPasswordKdf): when the
 * server names Argon2id parameters below the floor or above the ceiling, the
 * derivation throws before any work and before anything is sent; the page
 * says so on a visible element carrying `data-trust-refusal="kdf-floor"`
 * (the lying-server contract, tests/security/kdf-floor.test.ts).
 */
import { KdfParamsError } from '../../crypto/index.ts';
import { show } from './dom.ts';

export const KDF_REFUSAL = 'kdf-floor';

/** Shows `text` on `el` as a trust refusal if `failure` is a KDF refusal; false (and nothing shown) otherwise. */
export function showKdfRefusal(el: HTMLElement, failure: unknown, text: string): boolean {
  if (!(failure instanceof KdfParamsError)) return false;
  el.textContent = text;
  el.setAttribute('data-trust-refusal', KDF_REFUSAL);
  show(el);
  return true;
}

/** Before a new try: the element no longer speaks for a refusal. */
export function clearKdfRefusal(el: HTMLElement): void {
  if (el.getAttribute('data-trust-refusal') === KDF_REFUSAL) el.removeAttribute('data-trust-refusal');
}
