/** What a signed-in investigator's browser learns about its session. */
import type { Session } from '../../common/api.ts';
import type { InvestigatorRecord, Team } from '../../db/index.ts';
import { isWorkspaceLanguage } from '../../common/workspace-languages.ts';

/** `language`: the stored choice (investigators.language); anything no longer offered reads as none. */
export function presentSession(csrfToken: string, investigator: InvestigatorRecord, team: Team, language: string | null): Session {
  return {
    csrfToken,
    investigator: {
      id: investigator.id,
      username: investigator.username,
      displayName: investigator.displayName,
      role: investigator.role,
      teamId: team.id,
      teamName: team.name,
      runsDeployment: team.runsDeployment,
      admitted: investigator.admittedDay !== null,
      teamRecoveryFingerprint: team.recoveryFingerprint,
      language: isWorkspaceLanguage(language) ? language : null,
    },
    publicKey: investigator.publicKey,
    // Wrapped in the browser with a password-derived key the server never sees.
    wrappedPrivateKey: investigator.wrappedPrivateKey,
    teamRecoveryKey: team.recoveryPublicKey,
  };
}
