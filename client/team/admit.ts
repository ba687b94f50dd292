/**
 * Admitting a pending member (docs/protocol.md, "Pinned keys"): the
 * administrator loads the team's recovery key — the armored private key
 * printed or downloaded when the team was created — as a file or pasted.
 * This browser checks its fingerprint against the team's, certifies the
 * member's key with it, sends the certified key, then gives the member
 * access to the team's earlier cases with the same key (./share.ts), and
 * wipes it. The recovery key never leaves this browser.
 */
import type { TeamMember } from '../../common/api.ts';
import * as crypto from '../../crypto/index.ts';
import type { UnlockedKey } from '../lib/crypto.ts';
import { teamPost } from '../accounts/api.ts';
import { shareExistingCases, type ShareProgress } from '../accounts/share.ts';

export type AdmitProblem = 'notAKey' | 'wrongKey';

export class AdmitError extends Error {
  override name = 'AdmitError';
  constructor(readonly problem: AdmitProblem) {
    super(`admission: ${problem}`);
  }
}

/** Reads the recovery key and checks it is this team's; the caller wipes it (or lets admitMember do it). */
export async function loadRecoveryKey(armored: string, teamFingerprint: string): Promise<UnlockedKey> {
  let key: UnlockedKey;
  try {
    key = await crypto.readArmoredPrivateKey(armored.trim());
  } catch {
    throw new AdmitError('notAKey');
  }
  if (key.fingerprint.toLowerCase() !== teamFingerprint.toLowerCase()) {
    key.wipe();
    throw new AdmitError('wrongKey');
  }
  return key;
}

export type AdmitStep = 'certify' | 'send' | 'share';

/**
 * Certifies and admits `member`, then shares the earlier cases with them.
 * Always wipes `recoveryKey`. Sharing can be carried on later from the
 * members list ("Give access to earlier cases") if it is interrupted.
 */
export async function admitMember(opts: {
  member: TeamMember;
  recoveryKey: UnlockedKey;
  onStep: (step: AdmitStep, progress?: ShareProgress) => void;
}): Promise<{ admitted: TeamMember; shared?: ShareProgress; shareError?: unknown }> {
  const { member, recoveryKey, onStep } = opts;
  try {
    onStep('certify');
    const publicKey = await crypto.certifyKey({ publicKey: member.publicKey, certifier: recoveryKey });
    onStep('send');
    const admitted = await teamPost<TeamMember>(`/api/team/members/${encodeURIComponent(member.id)}/admit`, { publicKey });
    if (admitted.state !== 'admitted') return { admitted };
    onStep('share');
    try {
      // Re-wrapping the team's earlier cases to the newcomer (helper "people": ./share.ts).
      const shared = await shareExistingCases({
        investigatorId: member.id, memberFingerprint: await crypto.fingerprintOf(publicKey), recoveryKey, onProgress: (p) => onStep('share', p) });
      return { admitted, shared };
    } catch (shareError) {
      return { admitted, shareError }; // admitted all the same; sharing carries on from the list
    }
  } finally {
    recoveryKey.wipe();
  }
}
