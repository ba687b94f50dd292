/**
 * The one place that configures openpgp.js. Everything Ombud writes must be
 * readable by GnuPG 2.2 and Sequoia: v4 keys on Curve25519 ("legacy" EdDSA +
 * ECDH), no AEAD (SEIPD v1 with MDC), AES-256, no compression (compression
 * leaks through sizes and invites decompression bombs), no version or comment
 * headers in armor.
 */
import * as openpgp from 'openpgp';

export const PGP_CONFIG = {
  v6Keys: false,
  aeadProtect: false,
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  preferredHashAlgorithm: openpgp.enums.hash.sha256,
  preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed,
  showVersion: false,
  showComment: false,
} satisfies openpgp.PartialConfig;

/** The full configuration, for the methods that take a whole Config. */
export const FULL_CONFIG: openpgp.Config = { ...openpgp.config, ...PGP_CONFIG };

export { openpgp };
