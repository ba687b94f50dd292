/**
 * Investigators and administrators: login material (a browser-side salt and
 * KDF parameters, a server-side scrypt hash of the login verifier), their
 * public key and their private key as wrapped in their browser.
 */
import type { Db } from './database.ts';
import { decodeKeyIds, encodeKeyIds } from './columns.ts';

export type Role = 'admin' | 'investigator';

export interface PasswordKdf {
  algorithm: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export interface InvestigatorRecord {
  id: string;
  teamId: string;
  username: string;
  displayName: string;
  role: Role;
  passwordSalt: string;
  kdf: PasswordKdf;
  verifierHash: string;
  verifierSalt: string;
  verifierParams: string;
  publicKey: string;
  fingerprint: string;
  encryptionKeyIds: string[];
  wrappedPrivateKey: string;
  createdDay: string;
  disabled: boolean;
  /**
   * The day an administrator admitted them with the team's recovery key
   * (migration 012); null while pending: a pending investigator is no
   * recipient and opens no case.
   */
  admittedDay: string | null;
}

interface InvestigatorRow {
  id: string;
  team_id: string;
  username: string;
  display_name: string;
  role: Role;
  password_salt: string;
  kdf_algorithm: 'argon2id';
  kdf_memory_kib: number;
  kdf_iterations: number;
  kdf_parallelism: number;
  verifier_hash: string;
  verifier_salt: string;
  verifier_params: string;
  public_key: string;
  fingerprint: string;
  encryption_key_ids: string;
  wrapped_private_key: string;
  created_day: string;
  disabled: number;
  admitted_day: string | null;
}

const COLUMNS = `id, team_id, username, display_name, role, password_salt,
  kdf_algorithm, kdf_memory_kib, kdf_iterations, kdf_parallelism,
  verifier_hash, verifier_salt, verifier_params, public_key, fingerprint,
  encryption_key_ids, wrapped_private_key, created_day, disabled, admitted_day`;

const toInvestigator = (row: InvestigatorRow): InvestigatorRecord => ({
  id: row.id,
  teamId: row.team_id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  passwordSalt: row.password_salt,
  kdf: {
    algorithm: row.kdf_algorithm,
    memoryKiB: row.kdf_memory_kib,
    iterations: row.kdf_iterations,
    parallelism: row.kdf_parallelism,
  },
  verifierHash: row.verifier_hash,
  verifierSalt: row.verifier_salt,
  verifierParams: row.verifier_params,
  publicKey: row.public_key,
  fingerprint: row.fingerprint,
  encryptionKeyIds: decodeKeyIds(row.encryption_key_ids),
  wrappedPrivateKey: row.wrapped_private_key,
  createdDay: row.created_day,
  disabled: row.disabled === 1,
  admittedDay: row.admitted_day,
});

export function createInvestigatorsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO investigators (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string], InvestigatorRow>(`SELECT ${COLUMNS} FROM investigators WHERE id = ?`);
  const byUsername = db.prepare<[string], InvestigatorRow>(
    `SELECT ${COLUMNS} FROM investigators WHERE username = ?`,
  );
  const activeOfTeam = db.prepare<[string], InvestigatorRow>(
    `SELECT ${COLUMNS} FROM investigators WHERE team_id = ? AND disabled = 0 AND admitted_day IS NOT NULL ORDER BY created_day, id`,
  );
  const ofTeam = db.prepare<[string], InvestigatorRow>(
    `SELECT ${COLUMNS} FROM investigators WHERE team_id = ? ORDER BY created_day, id`,
  );
  const admit = db.prepare(
    `UPDATE investigators SET public_key = ?, admitted_day = COALESCE(admitted_day, ?) WHERE id = ? AND fingerprint = ?`,
  );
  const adminCount = db.prepare<[], { n: number }>(
    `SELECT COUNT(*) AS n FROM investigators WHERE role = 'admin'`,
  );
  const setDisabled = db.prepare(`UPDATE investigators SET disabled = ? WHERE id = ?`);
  const setEnvelope = db.prepare(`UPDATE investigators SET wrapped_private_key = ? WHERE id = ? AND disabled = 0`);
  // Prepared on first use: a test may build the repositories over a database at an earlier version (before migration 015).
  let languageOf: ReturnType<typeof prepareLanguageOf> | undefined;
  let setLanguage: ReturnType<typeof prepareSetLanguage> | undefined;
  const prepareLanguageOf = () => db.prepare<[string], { language: string | null }>(`SELECT language FROM investigators WHERE id = ?`);
  const prepareSetLanguage = () => db.prepare<[string | null, string]>(`UPDATE investigators SET language = ? WHERE id = ?`);

  return {
    /** `admittedDay` left out: admitted on `createdDay` (setup, founding); an invitee passes null (pending). */
    create(record: Omit<InvestigatorRecord, 'admittedDay'> & { admittedDay?: string | null }): InvestigatorRecord {
      const inv: InvestigatorRecord = { ...record, admittedDay: record.admittedDay === undefined ? record.createdDay : record.admittedDay };
      insert.run(
        inv.id, inv.teamId, inv.username, inv.displayName, inv.role, inv.passwordSalt,
        inv.kdf.algorithm, inv.kdf.memoryKiB, inv.kdf.iterations, inv.kdf.parallelism,
        inv.verifierHash, inv.verifierSalt, inv.verifierParams, inv.publicKey, inv.fingerprint,
        encodeKeyIds(inv.encryptionKeyIds), inv.wrappedPrivateKey, inv.createdDay, inv.disabled ? 1 : 0, inv.admittedDay,
      );
      return inv;
    },
    find(id: string): InvestigatorRecord | undefined {
      const row = byId.get(id);
      return row && toInvestigator(row);
    },
    findByUsername(username: string): InvestigatorRecord | undefined {
      const row = byUsername.get(username);
      return row && toInvestigator(row);
    },
    /** Investigators who receive new reports and messages of a team: admitted and not disabled. */
    activeOfTeam(teamId: string): InvestigatorRecord[] {
      return activeOfTeam.all(teamId).map(toInvestigator);
    },
    /** Everyone of a team, pending and disabled included (the administrators' members list). */
    ofTeam(teamId: string): InvestigatorRecord[] {
      return ofTeam.all(teamId).map(toInvestigator);
    },
    /**
     * Stores the certified form of the same key (same fingerprint, so the
     * same encryption subkey) and admits a pending member; an admitted one
     * keeps their day. False if no such investigator has that fingerprint.
     */
    admit(id: string, fingerprint: string, certifiedPublicKey: string, day: string): boolean {
      return admit.run(certifiedPublicKey, day, id, fingerprint).changes === 1;
    },
    adminExists(): boolean {
      return (adminCount.get()?.n ?? 0) > 0;
    },
    /** Replaces the key envelope of an account that is not disabled (a re-sealed trust root). */
    setEnvelope(id: string, wrappedPrivateKey: string): boolean {
      return setEnvelope.run(wrappedPrivateKey, id).changes === 1;
    },
    /** The workspace language the investigator chose (migration 015); null if never chosen or no such account. */
    languageOf(id: string): string | null {
      languageOf ??= prepareLanguageOf();
      return languageOf.get(id)?.language ?? null;
    },
    /** Stores the investigator's workspace language (null: follow the browser); the caller checks it is offered. */
    setLanguage(id: string, language: string | null): boolean {
      setLanguage ??= prepareSetLanguage();
      return setLanguage.run(language, id).changes === 1;
    },
    setDisabled(id: string, disabled: boolean): boolean {
      return setDisabled.run(disabled ? 1 : 0, id).changes === 1;
    },
  };
}

export type InvestigatorsRepo = ReturnType<typeof createInvestigatorsRepo>;
