/**
 * The second factor of investigators: a sealed TOTP secret (sealed and opened
 * by the server with a key derived from the server secret; opaque here), the
 * last accepted time step, and hashed one-time recovery codes.
 */
import type { Db } from './database.ts';

export interface TotpRecord {
  investigatorId: string;
  secretBox: string;
  enabled: boolean;
  lastStep: number;
}

interface TotpRow {
  investigator_id: string;
  secret_box: string;
  enabled: number;
  last_step: number;
}

export function createTotpRepo(db: Db) {
  const upsertPending = db.prepare(
    `INSERT INTO investigator_totp (investigator_id, secret_box, enabled, last_step) VALUES (?, ?, 0, 0)
     ON CONFLICT (investigator_id) DO UPDATE SET secret_box = excluded.secret_box, enabled = 0, last_step = 0`,
  );
  const byInvestigator = db.prepare<[string], TotpRow>(
    `SELECT investigator_id, secret_box, enabled, last_step FROM investigator_totp WHERE investigator_id = ?`,
  );
  const useStep = db.prepare(
    `UPDATE investigator_totp SET last_step = ? WHERE investigator_id = ? AND last_step < ?`,
  );
  const enable = db.prepare(`UPDATE investigator_totp SET enabled = 1 WHERE investigator_id = ?`);
  const removeCodes = db.prepare(`DELETE FROM investigator_recovery_codes WHERE investigator_id = ?`);
  const insertCode = db.prepare(
    `INSERT INTO investigator_recovery_codes (investigator_id, code_hash, used_at) VALUES (?, ?, NULL)`,
  );
  const useCode = db.prepare(
    `UPDATE investigator_recovery_codes SET used_at = ? WHERE investigator_id = ? AND code_hash = ? AND used_at IS NULL`,
  );
  const unusedCodes = db.prepare<[string], { n: number }>(
    `SELECT COUNT(*) AS n FROM investigator_recovery_codes WHERE investigator_id = ? AND used_at IS NULL`,
  );

  return {
    /** Starts (or restarts) enrolment: the factor is not enabled until confirmed. */
    savePending(investigatorId: string, secretBox: string): void {
      upsertPending.run(investigatorId, secretBox);
    },
    find(investigatorId: string): TotpRecord | undefined {
      const row = byInvestigator.get(investigatorId);
      return row && {
        investigatorId: row.investigator_id, secretBox: row.secret_box, enabled: row.enabled === 1, lastStep: row.last_step,
      };
    },
    /** Compare-and-set: false if this step (or a later one) was already used. */
    useStep(investigatorId: string, step: number): boolean {
      return useStep.run(step, investigatorId, step).changes === 1;
    },
    /** Enables the factor and replaces the recovery codes. */
    enable(investigatorId: string, recoveryCodeHashes: string[]): void {
      enable.run(investigatorId);
      removeCodes.run(investigatorId);
      for (const hash of recoveryCodeHashes) insertCode.run(investigatorId, hash);
    },
    /** Spends a recovery code: false if unknown or already used. */
    useRecoveryCode(investigatorId: string, codeHash: string, now: number): boolean {
      return useCode.run(now, investigatorId, codeHash).changes === 1;
    },
    unusedRecoveryCodes(investigatorId: string): number {
      return unusedCodes.get(investigatorId)?.n ?? 0;
    },
  };
}

export type TotpRepo = ReturnType<typeof createTotpRepo>;
