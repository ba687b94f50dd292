/**
 * The second factor of investigators: TOTP (./totp.ts) with one-time
 * recovery codes. Enrolment: `enrol` draws a secret and keeps it pending;
 * `confirm` with a current code enables it and answers 10 recovery codes,
 * shown once (only keyed hashes are stored). At login, after the password
 * verifier, `checkSecondFactor` wants a code; a code's time step is
 * remembered so that it cannot be used twice.
 */
import { randomBytes } from 'node:crypto';
import type { RecoveryCodes, TotpEnrolment, TotpStatus } from '../../common/api.ts';
import type { InvestigatorRecord } from '../../db/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { ActiveSession } from './session-gate.ts';
import { base32Encode, matchTotp, newTotpSecret, openTotpSecret, otpauthUri, sealTotpSecret } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;

type Ctx = Pick<AppContext, 'repos' | 'keys' | 'clock' | 'audit'>;

const aadOf = (investigatorId: string) => `totp:${investigatorId}`;

/** Ten characters of base32, shown as `abcde-fghij`. */
function newRecoveryCode(): string {
  const text = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
  return `${text.slice(0, 5)}-${text.slice(5)}`;
}

const normalise = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');
const recoveryHash = (ctx: Ctx, investigatorId: string, code: string) =>
  ctx.keys.hmacHex('recovery-code', `${investigatorId}:${normalise(code)}`);

export function totpStatus(ctx: Ctx, investigatorId: string): TotpStatus {
  const record = ctx.repos.totp.find(investigatorId);
  const enabled = record?.enabled ?? false;
  return { enabled, recoveryCodesLeft: enabled ? ctx.repos.totp.unusedRecoveryCodes(investigatorId) : 0 };
}

/** Draws a new secret, pending until confirmed. Refused while a factor is enabled (turning it off or replacing it is not done yet). */
export function enrolTotp(ctx: Ctx, session: ActiveSession): TotpEnrolment {
  const { investigator } = session;
  if (ctx.repos.totp.find(investigator.id)?.enabled) {
    throw new HttpError(409, 'conflict', 'a second factor is already set up');
  }
  const secret = newTotpSecret();
  ctx.repos.totp.savePending(investigator.id, sealTotpSecret(ctx.keys, secret, aadOf(investigator.id)));
  return { secret: base32Encode(secret), uri: otpauthUri(investigator.username, secret) };
}

/** Takes the code of the step now (±1) if it is later than the last one used. */
function takeTotpCode(ctx: Ctx, investigatorId: string, secretBox: string, code: string): boolean {
  const secret = openTotpSecret(ctx.keys, secretBox, aadOf(investigatorId));
  const step = matchTotp(secret, code, ctx.clock.now());
  return step !== null && ctx.repos.totp.useStep(investigatorId, step);
}

export function confirmTotp(ctx: Ctx, session: ActiveSession, code: string): RecoveryCodes {
  const { investigator } = session;
  const record = ctx.repos.totp.find(investigator.id);
  if (!record || record.enabled) throw new HttpError(409, 'totp_not_pending', 'start setting up the second factor first');
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  ctx.repos.transaction(() => {
    if (!takeTotpCode(ctx, investigator.id, record.secretBox, code)) {
      throw new HttpError(400, 'second_factor_invalid', 'this code is not right; check the time on your phone and try the next one');
    }
    ctx.repos.totp.enable(investigator.id, recoveryCodes.map((c) => recoveryHash(ctx, investigator.id, c)));
    ctx.audit.investigator('auth.totp_enrolled', investigator.id, null);
  });
  return { recoveryCodes };
}

export type SecondFactorResult = 'not_enrolled' | 'ok' | 'missing' | 'wrong';

/**
 * After a correct password: 'not_enrolled' (nothing to check), 'missing'
 * (ask for a code), 'ok' (a fresh TOTP code or an unused recovery code, now
 * spent), or 'wrong'.
 */
export function checkSecondFactor(ctx: Ctx, investigator: InvestigatorRecord, given: string | undefined): SecondFactorResult {
  const record = ctx.repos.totp.find(investigator.id);
  if (!record?.enabled) return 'not_enrolled';
  if (given === undefined) return 'missing';
  const code = given.trim();
  if (/^\d{6}$/.test(code)) return takeTotpCode(ctx, investigator.id, record.secretBox, code) ? 'ok' : 'wrong';
  if (ctx.repos.totp.useRecoveryCode(investigator.id, recoveryHash(ctx, investigator.id, code), ctx.clock.now())) {
    ctx.audit.investigator('auth.recovery_code_used', investigator.id, null);
    return 'ok';
  }
  return 'wrong';
}
