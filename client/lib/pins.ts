/**
 * Pinned keys on the report form (docs/protocol.md, "Pinned keys"). The link
 * a worker follows (the QR code on the poster) carries, in its fragment, the
 * fingerprints of the recovery keys of the channel's teams; the server never
 * sees the fragment. Before anything is encrypted — the report, any file —
 * this module checks what the server offered:
 *
 *  1. the link has pins at all, and they are well formed;
 *  2. each team's recovery key has a pinned fingerprint;
 *  3. each investigator key of the team carries a valid certification by
 *     that recovery key (OpenPGP 0x10, crypto/certify.ts);
 *
 * and gives back each team with `recipientKeys` = exactly those checked keys
 * (investigators + recovery key). The reporter key is added by the caller.
 * A server that swaps in a key of its own is caught here, and nothing is sent.
 *
 * A team's browser entering a report on a worker's behalf (client/team/on-behalf/)
 * has no link: it checks certification, and the recovery fingerprint of every
 * team it knows from its own session (`trust.kind === 'known'`).
 */
import type { ChannelInfo } from '../../common/api.ts';
import { readPins } from '../../common/channel-link.ts';
import { loadCrypto, uniqueKeys } from './crypto.ts';

export type PinProblem =
  /** The link has no fragment: typed by hand, cut short, or an old poster. */
  | 'missing'
  /** The fragment is not a list of fingerprints: damaged or tampered with. */
  | 'malformed'
  /** The server offers a team whose recovery key is not the one the link pins. */
  | 'unpinned'
  /** The server offers an investigator key that the team's recovery key did not certify. */
  | 'uncertified';

export class PinError extends Error {
  override name = 'PinError';
  constructor(readonly problem: PinProblem, readonly teamName?: string) {
    super(`pinned keys: ${problem}${teamName ? ` (${teamName})` : ''}`);
  }
}

export type Trust =
  | { kind: 'pins'; fingerprints: readonly string[] }
  /** Recovery fingerprints the browser already knows, by team id; other teams: certification only. */
  | { kind: 'known'; fingerprints: Readonly<Record<string, string>> };

type Team = ChannelInfo['teams'][number];
/**
 * A team as checked: `name` is the one its pinned recovery key names in its
 * self-signed user id (crypto/certify.ts recoveryKeyTeamName), not the
 * server's field; `nameFromKey: false` when the key names no team (a key
 * made outside the setup and founding pages): the server's name, shown marked.
 */
export type CheckedTeam = Team & {
  nameFromKey: boolean;
  /**
   * The team's names in worker languages whose signature checks against one of the investigator keys
   * checked above (crypto/team-name.ts; docs/protocol.md, "v2: team names in the worker's language");
   * a name the server sent without such a signature is not here, and the form shows `name` instead.
   */
  localNames: Readonly<Record<string, string>>;
  /** Languages whose name the server sent but whose signature did not check (shown: `name`). */
  refusedNames: readonly string[];
};

/** The name to show a worker reading `lang`: the team's signed name in it, else the certified name. */
export function shownName(team: Pick<CheckedTeam, 'name' | 'localNames'>, lang: string): string {
  return Object.hasOwn(team.localNames, lang) ? team.localNames[lang]! : team.name;
}

/** The pins of this page's link (`location.hash`), or PinError 'missing' / 'malformed'. */
export function linkTrust(hash: string = location.hash): Trust {
  const reading = readPins(hash);
  if (reading.kind !== 'pinned') throw new PinError(reading.kind);
  return { kind: 'pins', fingerprints: reading.fingerprints };
}

async function verifyTeam(team: Team, trust: Trust): Promise<CheckedTeam> {
  const crypto = await loadCrypto();
  let fingerprint: string;
  try {
    fingerprint = await crypto.fingerprintOf(team.recoveryKey);
  } catch {
    throw new PinError('unpinned', team.name);
  }
  const expected = trust.kind === 'pins' ? undefined : trust.fingerprints[team.id];
  const pinned = trust.kind === 'pins' ? trust.fingerprints.includes(fingerprint) : expected === undefined || expected === fingerprint;
  if (!pinned) throw new PinError('unpinned', team.name);
  const checks = await Promise.all(
    team.investigatorKeys.map((publicKey) => crypto.isCertifiedBy({ publicKey, certifierPublicKey: team.recoveryKey })),
  );
  if (checks.includes(false)) throw new PinError('uncertified', team.name);
  const keyName = await crypto.recoveryKeyTeamName(team.recoveryKey);
  const names = team.names ?? [];
  const signed = await Promise.all(names.map((entry) => crypto.verifyTeamName({
    teamId: team.id, recovery: fingerprint, lang: entry.lang, name: entry.name, signature: entry.signature,
    publicKeys: team.investigatorKeys,
  }).catch(() => false)));
  const localNames: Record<string, string> = Object.create(null);
  names.forEach((entry, i) => {
    if (signed[i] && entry.name.trim() !== '') localNames[entry.lang] = entry.name;
  });
  return {
    ...team,
    name: keyName ?? team.name,
    nameFromKey: keyName !== undefined,
    localNames,
    refusedNames: names.filter((_, i) => !signed[i]).map((entry) => entry.lang),
    recipientKeys: uniqueKeys([...team.investigatorKeys, team.recoveryKey]),
  };
}

/**
 * The teams with `recipientKeys` replaced by the checked keys, or PinError.
 * Whatever else the server put in `recipientKeys` is ignored: it is never
 * encrypted to (and the server's own recipient check then refuses the
 * report, so nothing half-right is stored either).
 */
export async function verifyTeams(teams: readonly Team[], trust: Trust): Promise<CheckedTeam[]> {
  return Promise.all(teams.map((team) => checkedOnce(team, trust)));
}

/**
 * Each team object of one channel answer is checked once per trust, however
 * many files are encrypted to it: a fetched answer is never changed, so the
 * result stands (a fresh answer, as fetched on send, is checked anew). A
 * failure that is not a PinError (the crypto chunk did not load) is not kept.
 */
const checked = new WeakMap<Team, Map<string, Promise<CheckedTeam>>>();

function checkedOnce(team: Team, trust: Trust): Promise<CheckedTeam> {
  const key = JSON.stringify(trust);
  let byTrust = checked.get(team);
  if (!byTrust) checked.set(team, (byTrust = new Map()));
  let result = byTrust.get(key);
  if (!result) {
    result = verifyTeam(team, trust);
    byTrust.set(key, result);
    result.catch((error: unknown) => {
      if (!(error instanceof PinError)) byTrust.delete(key);
    });
  }
  return result;
}

/** The whole channel as this page's link pins it: every offered team must pass (checked in the background once the page shows the form: ./main.ts). */
export async function verifyChannel(channel: ChannelInfo, hash: string = location.hash): Promise<ChannelInfo & { teams: CheckedTeam[] }> {
  return { ...channel, teams: await verifyTeams(channel.teams, linkTrust(hash)) };
}
