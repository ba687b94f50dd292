/** The report intake: proof of work and the encrypted report (server/intake/). */
import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { armoredPublicKey, b64, day, id, secret32, slug, statusBinding } from './fields.ts';

export const PowChallenge = z.object({ challenge: z.string(), difficulty: z.number().int() });

export const PowSolution = z.strictObject({ challenge: z.string().max(200), nonce: z.string().max(32) });

export const IntakeRequest = z.strictObject({
  channel: slug,
  teamIds: z.array(id).min(1).max(LIMITS.teamsPerReport),
  pow: PowSolution,
  lookupId: secret32,
  verifier: secret32,
  reporterPublicKey: armoredPublicKey,
  wrappedReporterKey: b64(LIMITS.wrappedKeyBytes).min(1),
  report: b64(LIMITS.reportCiphertextBytes).min(1),
  /** Staged uploads (POST /api/uploads) that belong to this report; needs `uploadTicket`. */
  attachments: z.array(id).max(LIMITS.attachmentsPerReport).optional(),
  uploadTicket: z.string().max(200).optional(),
  /**
   * Protocol v2: the status binding (crypto/binding.ts), opaque to the
   * server, stored with the case and given back in the status view. Absent
   * from forms older than v2.
   */
  statusBinding: statusBinding.optional(),
});

export const IntakeReceipt = z.object({ receivedDay: day, acknowledgeByDay: day });

export type PowChallenge = z.infer<typeof PowChallenge>;

export type IntakeRequest = z.infer<typeof IntakeRequest>;

export type IntakeReceipt = z.infer<typeof IntakeReceipt>;

/** Error codes (`ErrorBody.error`) of this domain. The report intake and its proof of work. */
export const INTAKE_ERROR_CODES = [
  'pow_invalid', 'pow_expired', 'pow_reused', 'team_not_offered', 'invalid_public_key', 'not_encrypted',
  'wrong_recipients', 'token_collision',
  // A repeated intake (same lookup id and verifier) whose content differs (server/intake/replay.ts).
  'intake_conflict',
] as const;
