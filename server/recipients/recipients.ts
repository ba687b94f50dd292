/**
 * Who must be able to read a report or a message, and the check that an
 * upload is encrypted to exactly them — read from the OpenPGP packet headers
 * (crypto's inspectMessage), without decrypting anything. A client bug can
 * therefore never store plaintext, nor leave out the recovery key, nor slip
 * in an extra reader.
 */
import { inspectMessage } from '../../crypto/index.ts';
import type { IntakeTeam, Repositories } from '../../db/index.ts';
import { LIMITS } from '../../common/limits.ts';
import { HttpError } from '../errors.ts';

export interface RecipientKey {
  /** For error messages: "recovery key of team …", "investigator key", "your key". */
  label: string;
  armored: string;
  /** Encryption key ids (lowercase hex); a PKESK to any of them counts. */
  keyIds: string[];
}

/** Who must be able to read, as assertEncryptedTo needs it: a label for its errors and the key ids. */
export interface RecipientIds {
  label: RecipientKey['label'];
  keyIds: readonly string[];
}

/** Each active investigator of each team, then the team's recovery key. */
export function teamRecipients(repos: Pick<Repositories, 'teams' | 'investigators'>, teamIds: readonly string[]): RecipientKey[] {
  const keys: RecipientKey[] = [];
  for (const teamId of teamIds) {
    const team = repos.teams.find(teamId);
    if (!team) continue;
    for (const inv of repos.investigators.activeOfTeam(teamId)) {
      keys.push({ label: `investigator key of team ${team.name}`, armored: inv.publicKey, keyIds: inv.encryptionKeyIds });
    }
    keys.push({ label: `recovery key of team ${team.name}`, armored: team.recoveryPublicKey, keyIds: team.recoveryKeyIds });
  }
  return oncePerKey(keys);
}

/**
 * The same recipients as teamRecipients, in the same order, for teams read with their key ids
 * (channels.intakeTeams), without reading any armored key: intake only compares key ids
 * (docs/performance.md).
 */
export function teamRecipientIds(teams: ReadonlyArray<Pick<IntakeTeam, 'name' | 'recoveryKeyIds' | 'investigatorKeyIds'>>): RecipientIds[] {
  const keys: RecipientIds[] = [];
  for (const team of teams) {
    for (const keyIds of team.investigatorKeyIds) keys.push({ label: `investigator key of team ${team.name}`, keyIds });
    keys.push({ label: `recovery key of team ${team.name}`, keyIds: team.recoveryKeyIds });
  }
  return oncePerKey(keys);
}

/** The same key twice (an odd but possible configuration) is one recipient. */
function oncePerKey<K extends RecipientIds>(keys: K[]): K[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = k.keyIds.join(',');
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

/**
 * Refuses (400) anything that is not one OpenPGP encrypted message to
 * exactly `expected`: `not_encrypted` or `wrong_recipients` naming what is
 * missing or extra. Returns the (lowercase) key ids it found.
 */
export function assertEncryptedTo(ciphertext: Uint8Array, expected: readonly RecipientIds[]): string[] {
  const inspection = inspectMessage(ciphertext);
  if (!inspection.ok) {
    throw new HttpError(400, 'not_encrypted', `not an OpenPGP encrypted message: ${inspection.reason}`);
  }
  const found = inspection.recipientKeyIds.map((id) => id.toLowerCase());
  if (found.length > LIMITS.recipientsPerMessage) {
    throw new HttpError(400, 'wrong_recipients', `too many recipients (${found.length})`);
  }
  const foundSet = new Set(found);
  const missing = expected.filter((key) => !key.keyIds.some((id) => foundSet.has(id)));
  const known = new Set(expected.flatMap((key) => key.keyIds));
  const extra = [...foundSet].filter((id) => !known.has(id));
  if (missing.length === 0 && extra.length === 0) return [...foundSet];
  const parts = [
    ...missing.map((key) => `missing ${key.label} (${key.keyIds.join('/')})`),
    ...extra.map((id) => `extra recipient ${id}`),
  ];
  throw new HttpError(400, 'wrong_recipients', `must be encrypted to exactly the listed keys: ${parts.join('; ')}`);
}
