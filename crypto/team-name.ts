/**
 * A team's name in a worker's language, signed by an investigator of that
 * team (docs/protocol.md, "v2: team names in the worker's language").
 *
 * The report form shows a team by the name its pinned recovery key names; a
 * name the server sends could be forged ("the brand's independent team" for
 * a factory's HR). A translated name is therefore shown only when it carries
 * a detached OpenPGP signature by one of the team's investigator keys, which
 * the form already checks are certified by the pinned recovery key. The
 * signed text names the team's id, its recovery key's fingerprint and the
 * language, so a signature cannot be moved to another team, trust root or
 * language; its prefix keeps it apart from any other text such a key signs
 * (./sign.ts proofs of possession).
 */
import { utf8 } from './encoding.ts';
import type { UnlockedKey } from './keys.ts';
import { signDetached, verifyDetached } from './sign.ts';

const PREFIX = 'ombud/team-name/v1:';

export interface TeamNameStatement {
  teamId: string;
  /** The team's recovery key fingerprint, 40 lowercase hex digits. */
  recovery: string;
  lang: string;
  name: string;
}

function text(s: TeamNameStatement): Uint8Array {
  return utf8(PREFIX + JSON.stringify({ team: s.teamId, recovery: s.recovery, lang: s.lang, name: s.name }));
}

/** An armored detached signature by `key` over the statement. */
export function signTeamName(opts: TeamNameStatement & { key: UnlockedKey }): Promise<string> {
  return signDetached(text(opts), opts.key);
}

/**
 * Whether `signature` is a valid signature over the statement by one of
 * `publicKeys` (false for anything malformed). The caller passes only keys it
 * has checked against its own trust root.
 */
export function verifyTeamName(opts: TeamNameStatement & { signature: string; publicKeys: readonly string[] }): Promise<boolean> {
  return verifyDetached(text(opts), opts.signature, opts.publicKeys);
}
