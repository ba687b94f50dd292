/** Errors that crypto/ throws on purpose; anything else is a bug. */

/** Input that is not what it claims to be: not base64url, not a public key, … */
export class CryptoInputError extends Error {
  override name = 'CryptoInputError';
}

/** An unwrap failed: wrong password or token, or a tampered wrapped key. */
export class WrongKeyError extends Error {
  override name = 'WrongKeyError';
  constructor(message = 'the key does not open this secret') {
    super(message);
  }
}

/** A ciphertext that this key cannot decrypt, or that is damaged. */
export class DecryptError extends Error {
  override name = 'DecryptError';
}

/**
 * Key-derivation parameters named by the server outside the bounds fixed in
 * this code (./kdf.ts KDF_FLOOR, KDF_CEILING): a cheaper derivation would
 * make the password fall to guessing, a costlier one could exhaust the
 * device. Pages show it as `data-trust-refusal="kdf-floor"` and send nothing.
 */
export class KdfParamsError extends Error {
  override name = 'KdfParamsError';
  readonly code = 'kdf-floor';
}
