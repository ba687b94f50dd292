/**
 * The status page's trust root (docs/protocol.md, "v2: status page trust").
 * The page holds the reporter's private key (unwrapped with the token) and
 * the binding key (derived from the token); the server holds neither. So:
 *
 *  - follow-ups are encrypted to the public half of the key the page holds,
 *    and a server naming another reporter key is refused ('reporter-key');
 *  - the case's binding (what the form checked: each team's pinned recovery
 *    fingerprint and its name, the reporter key's fingerprint) must verify
 *    under the binding key ('binding'), and a case whose key was wrapped by a
 *    v2 form must have one ('binding');
 *  - every team key the server offers now is checked exactly as the form did
 *    (client/lib/pins.ts): the case's teams are the bound ones, no more,
 *    no fewer, each recovery key has its bound fingerprint ('unpinned') and
 *    certifies every investigator key ('uncertified').
 *
 * A case made before v2 (no binding, key wrapped for v1) is bound on its first
 * visit from what its report says (the pins inside it) or, for a report older
 * than pins, from the recovery keys the server offers then: trust on first
 * use, a weaker guarantee (docs/threat-model.md).
 */
import type { StatusView } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import type { CryptoModule } from '../lib/crypto.ts';
import { uniqueKeys } from '../lib/crypto.ts';
import { PinError, verifyTeams } from '../lib/pins.ts';

export type TrustCode = 'reporter-key' | 'binding' | 'unpinned' | 'uncertified';

export class TrustRefusal extends Error {
  override name = 'TrustRefusal';
  constructor(readonly code: TrustCode) {
    super(`the server's answer failed the status page's trust check: ${code}`);
  }
}

type BindingRecord = Awaited<ReturnType<CryptoModule['openBinding']>>;

/** The reporter key the page holds must be the one the server names; follow-ups go to the held one regardless. */
export async function checkReporterKey(crypto: CryptoModule, ownFingerprint: string, view: StatusView): Promise<void> {
  const named = await crypto.fingerprintOf(view.reporterPublicKey).catch(() => '');
  if (named !== ownFingerprint.toLowerCase()) throw new TrustRefusal('reporter-key');
}

/** The binding's record, verified under this token's binding key and naming the held reporter key. */
export async function openCaseBinding(crypto: CryptoModule, binding: string, bindingKey: Uint8Array, ownFingerprint: string): Promise<BindingRecord> {
  let record: BindingRecord;
  try {
    record = await crypto.openBinding({ binding, bindingKey });
  } catch {
    throw new TrustRefusal('binding');
  }
  if (record.reporterKey !== ownFingerprint.toLowerCase()) throw new TrustRefusal('binding');
  return record;
}

/**
 * The keys a follow-up may go to (besides the reporter's own): those of the
 * bound teams, each checked as the report form checks them. TrustRefusal otherwise.
 */
export async function checkedTeamKeys(view: StatusView, record: BindingRecord): Promise<string[]> {
  const bound = new Map(record.teams.map((team) => [team.id, team]));
  const offered = new Set(view.teams.map((team) => team.id));
  // A team left out (it would not read the follow-up) or added (a reader the worker never chose).
  if (offered.size !== view.teams.length || offered.size !== bound.size || [...offered].some((id) => !bound.has(id))) {
    throw new TrustRefusal('unpinned');
  }
  const fingerprints = Object.fromEntries(record.teams.map((team) => [team.id, team.recovery]));
  try {
    const teams = await verifyTeams(
      view.teams.map((team) => ({
        id: team.id, name: bound.get(team.id)!.name, recoveryKey: team.recoveryKey, investigatorKeys: team.investigatorKeys,
        recipientKeys: [], preselected: false, role: null, note: '',
      })),
      { kind: 'known', fingerprints },
    );
    return uniqueKeys(teams.flatMap((team) => team.recipientKeys));
  } catch (error) {
    if (error instanceof PinError) throw new TrustRefusal(error.problem === 'uncertified' ? 'uncertified' : 'unpinned');
    throw error;
  }
}

/**
 * For a case made before v2: the record its first visit binds. The teams'
 * recovery keys must be the report's pins when it has them (then checked as
 * above); a report older than pins takes the recovery keys offered now.
 */
export async function firstVisitRecord(
  crypto: CryptoModule, view: StatusView, report: ReportContent | undefined, ownFingerprint: string,
): Promise<BindingRecord> {
  const teams = await Promise.all(view.teams.map(async (team) => ({
    id: team.id,
    name: (await crypto.recoveryKeyTeamName(team.recoveryKey)) ?? '',
    recovery: await crypto.fingerprintOf(team.recoveryKey).catch(() => ''),
  })));
  const pins = report?.pins;
  if (teams.length === 0 || teams.some((team) => team.recovery === '')) throw new TrustRefusal('unpinned');
  if (pins && pins.length > 0) {
    const offered = new Set(teams.map((team) => team.recovery));
    // The report's pins are the teams it went to: each must be offered, and nothing else.
    if (offered.size !== new Set(pins).size || pins.some((pin) => !offered.has(pin))) throw new TrustRefusal('unpinned');
  }
  return { v: 2, reporterKey: ownFingerprint.toLowerCase(), teams };
}
