/** Investigator accounts: sign-in, the session, the second factor, failed sign-ins (server/auth/). */
import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { armoredPublicKey, b64, day, id, secret32 } from './fields.ts';
import { WORKSPACE_LANGUAGES } from '../workspace-languages.ts';

export const username = z.string().min(1).max(LIMITS.usernameChars).regex(/^[a-z0-9._-]+$/, 'lowercase letters, digits, dot, dash, underscore');

export const KdfParams = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int(),
  iterations: z.number().int(),
  parallelism: z.number().int(),
});

export const LoginParamsRequest = z.strictObject({ username });

export const LoginParams = z.object({ salt: z.string(), kdf: KdfParams });

export const LoginRequest = z.strictObject({
  username,
  verifier: secret32,
  /** A 6-digit TOTP code or a recovery code, once the server answered 401 `second_factor_required`. */
  secondFactor: z.string().trim().min(1).max(32).optional(),
});

export const Investigator = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'investigator']),
  teamId: id,
  teamName: z.string(),
  /** An administrator of this team administers the deployment (teams, channels, posters). */
  runsDeployment: z.boolean(),
  /** false while pending: an administrator must admit them with the team's recovery key (no cases until then). */
  admitted: z.boolean(),
  /** The team's recovery key fingerprint (40 hex): what the team's browser checks channel keys against when it enters a report. */
  teamRecoveryFingerprint: z.string(),
  /** The workspace language they chose (e-mail notices are written in it); null: never chosen, the browser's is used. */
  language: z.enum(WORKSPACE_LANGUAGES).nullable(),
});

export const Session = z.object({
  csrfToken: z.string(),
  investigator: Investigator,
  publicKey: z.string(),
  /** The key envelope (docs/protocol.md "v2: workspace trust root"): version 1 (key only) or 2 (key and trust root). */
  wrappedPrivateKey: z.string(),
  /** The team's recovery public key: the browser trusts it only if its fingerprint is the root inside the envelope. */
  teamRecoveryKey: z.string(),
});

/** Stores a re-sealed key envelope (a root added or confirmed); the password's verifier proves who re-sealed it. */
export const EnvelopeRequest = z.strictObject({
  verifier: secret32,
  wrappedPrivateKey: b64(LIMITS.wrappedKeyBytes).min(1),
});
export type EnvelopeRequest = z.infer<typeof EnvelopeRequest>;

/**
 * What a browser sends to create an investigator account: the key pair made
 * there, its private half wrapped by the password, and the password's salt
 * and login verifier (docs/protocol.md §3). Setup and invites both use it.
 */
export const newAccount = {
  displayName: z.string().trim().min(1).max(LIMITS.displayNameChars),
  salt: secret32,
  verifier: secret32,
  publicKey: armoredPublicKey,
  wrappedPrivateKey: b64(LIMITS.wrappedKeyBytes).min(1),
};

export type LoginParams = z.infer<typeof LoginParams>;

export type KdfParams = z.infer<typeof KdfParams>;

export type Session = z.infer<typeof Session>;

export type Investigator = z.infer<typeof Investigator>;

export const TotpStatus = z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int().nonnegative() });

export const TotpEnrolment = z.object({
  /** RFC 4648 base32 of the 20-byte secret, for typing into an authenticator app. */
  secret: z.string(),
  /** otpauth://totp/Ombud:<username>?secret=…&issuer=Ombud, for the QR code. */
  uri: z.string(),
});

export const TotpConfirmRequest = z.strictObject({ code: z.string().regex(/^\d{6}$/) });

/** Shown once; only their keyed hashes are stored. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

export const FailedLogins = z.object({
  failures: z.array(z.object({ username: z.string(), day, at: z.number().int().nullable() })),
});

export type TotpStatus = z.infer<typeof TotpStatus>;

export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

export type FailedLogins = z.infer<typeof FailedLogins>;

/** Error codes (`ErrorBody.error`) of this domain. Sign-in, the session, the second factor, and the role checks (server/auth/policy.ts). */
export const ACCOUNT_ERROR_CODES = [
  'not_authenticated', 'session_expired', 'csrf_invalid', 'invalid_credentials', 'too_many_attempts',
  'second_factor_required', 'second_factor_invalid', 'totp_not_pending', 'admin_only', 'deployment_admin_only',
  'not_admitted',
  // the workspace trust root: a re-sealed key envelope (server/auth/envelope.ts)
  'invalid_envelope', 'verifier_invalid',
] as const;

/** An investigator's choice of workspace language (null: follow the browser; notices in English). */
export const LanguageRequest = z.strictObject({ language: z.enum(WORKSPACE_LANGUAGES).nullable() });
export type LanguageRequest = z.infer<typeof LanguageRequest>;
export const LanguageSetting = z.object({ language: z.enum(WORKSPACE_LANGUAGES).nullable() });
export type LanguageSetting = z.infer<typeof LanguageSetting>;
