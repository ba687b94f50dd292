/**
 * Ombud's protocol, for the browser and for Node. The only module that
 * imports openpgp (through ./openpgp.ts). docs/protocol.md describes every
 * value these functions produce.
 */
export { CryptoInputError, DecryptError, KdfParamsError, WrongKeyError } from './errors.ts';
export { fromBase64Url, fromUtf8, toBase64Url, toHex, utf8, wipe } from './encoding.ts';
export { randomBytes } from './random.ts';
export { dammDigit, formatToken, generateToken, parseToken, TOKEN_DIGITS } from './token.ts';
export {
  checkPasswordKdf,
  derivePasswordSecrets,
  deriveTokenSecrets,
  KDF_CEILING,
  KDF_FLOOR,
  newSalt,
  PASSWORD_KDF,
  TOKEN_KDF,
  type KdfParams,
  type PasswordSecrets,
  type TokenSecrets,
} from './kdf.ts';
export {
  describePublicKey,
  exportArmoredPrivateKey,
  generateKeyPair,
  readArmoredPrivateKey,
  INVESTIGATOR_USER_ID,
  NEUTRAL_KEY_DATE,
  publicKeyOf,
  RECOVERY_KEY_COMMENT,
  REPORTER_KEY_DATE,
  UnlockedKey,
  unwrapKey,
  wrapKey,
  type KeyPair,
  type KeySpec,
  type PublicKeyInfo,
} from './keys.ts';
export type { WrapPurpose } from './wrap.ts';
export { bucketSize, pad, unpad } from './padding.ts';
export { decryptJson, decryptPayload, encryptJson, encryptPayload } from './payload.ts';
export { decryptText, encryptText } from './text.ts';
export { inspectMessage, MAX_RECIPIENTS, type Inspection } from './inspect.ts';
export { encryptionKeyIdReader } from './key-inspect.ts';
export { MAX_DIFFICULTY, solvePow, verifyPow } from './pow.ts';
export { importIndexKey, INDEX_ENTRY_BYTES, newIndexKey, openIndexEntry, openSealed, sealForKeys, sealIndexEntry } from './index-key.ts';
export { certifyKey, fingerprintOf, isCertifiedBy, recoveryKeyTeamName } from './certify.ts';
export { BindingError, MAX_BINDING_CHARS, openBinding, sealBinding, type BindingRecord, type BoundTeam } from './binding.ts';
export { addRecipient, readSinglePkesk, rewrapSessionKey, splitHeader, type MessageHeader } from './rewrap.ts';
export { promptStatement, signPossession, signPrompt, verifyPossession, verifyPrompt } from './sign.ts';
export { signTeamName, verifyTeamName, type TeamNameStatement } from './team-name.ts';
export { MAX_SEND_TO, normaliseTrust, openEnvelope, sealEnvelope, type OpenedEnvelope, type TrustRoot } from './envelope.ts';
export { checkKeysAgainstRoots, type KeyVerdict } from './trust-root.ts';
