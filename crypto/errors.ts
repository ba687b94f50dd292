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
