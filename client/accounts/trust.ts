/**
 * The workspace's trust gate (docs/protocol.md "v2: workspace trust root"):
 * before this browser encrypts or re-wraps anything to a key, the key must be
 * a recovery key whose fingerprint is a root sealed in this investigator's key
 * envelope, or carry a valid certification by one. The server's `certified`
 * flags and its recovery fingerprints are never trusted; the recovery public
 * keys it hands over are used only once their fingerprint matched a root.
 *
 * A refusal is a TrustRefusal; `showRefusal` puts the visible element with
 * `data-trust-refusal="<code>"` (the lying-server contract) into the page.
 */
import type { CaseDetail } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import * as crypto from '../../crypto/index.ts';
import { t, type TeamMessageKey } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import { session, trustRoot } from './keyring.ts';

export type TrustRefusalCode = 'uncertified' | 'no-root' | 'reporter-key';
export type KeyRole = 'member' | 'reporter' | 'team';

export class TrustRefusal extends Error {
  override name = 'TrustRefusal';
  constructor(readonly code: TrustRefusalCode, readonly role: KeyRole = 'team') {
    super(`workspace trust: ${code} (${role})`);
  }
}

/** The fingerprints this workspace trusts as roots: its team's, then the teams it may send to. Empty before confirmation. */
export function roots(): string[] {
  const trust = trustRoot();
  return trust ? [trust.root, ...trust.sendTo] : [];
}

/**
 * Throws TrustRefusal unless every key of `keys` is a root recovery key or
 * certified by one. `extraRoots`: fingerprints this one case adds (the pins the
 * worker's form checked, read from the decrypted report: ./case-trust.ts).
 */
export async function requireVouched(keys: readonly string[], opts: { role?: KeyRole; extraRoots?: readonly string[] } = {}): Promise<void> {
  const own = roots();
  if (own.length === 0) throw new TrustRefusal('no-root', opts.role);
  const teamRecoveryKey = session()?.teamRecoveryKey;
  const verdict = await crypto.checkKeysAgainstRoots({
    keys, roots: [...own, ...(opts.extraRoots ?? [])], recoveryKeys: teamRecoveryKey ? [teamRecoveryKey] : [],
  });
  if (!verdict.ok) throw new TrustRefusal('uncertified', opts.role);
}

const PINS = /^[0-9a-f]{40}$/;

/**
 * The roots one case adds: the pins the worker's report form checked (inside
 * the report's ciphertext, `ReportContent.pins`), but only when this team's
 * own root is among them — a report that does not pin this team vouches for
 * nothing here.
 */
export function caseRoots(report: ReportContent | undefined): string[] {
  const pins = (report?.pins ?? []).map((pin) => pin.toLowerCase()).filter((pin) => PINS.test(pin));
  const own = trustRoot()?.root;
  return own && pins.includes(own) ? pins : [];
}

/**
 * The reporter key the server names for a case must be one the worker's
 * browser encrypted the report to: its encryption subkey's key id is among
 * the report's key packets (the server cannot add one: it has no session key).
 */
export async function requireReporterKey(detail: Pick<CaseDetail, 'report' | 'reporterPublicKey'>): Promise<void> {
  try {
    const { encryptionKeyIds } = await crypto.describePublicKey(detail.reporterPublicKey);
    const header = crypto.splitHeader(crypto.fromBase64Url(detail.report));
    const ids = new Set((header?.keyIds ?? []).map((id) => id.toLowerCase()));
    if (encryptionKeyIds.some((id) => ids.has(id.toLowerCase()))) return;
  } catch {
    // unreadable: refused below
  }
  throw new TrustRefusal('reporter-key', 'reporter');
}

const reports = new WeakMap<object, ReportContent | undefined>();

/** Called by the case view once the report is decrypted: its pins may add roots for this case. */
export function rememberReport(detail: CaseDetail, report: ReportContent | undefined): void {
  reports.set(detail, report);
}

/**
 * Before sealing to a case's keys: the reporter key (when it is a recipient)
 * must be the one the report went to, and every other key vouched for by a
 * root (the workspace's own, or the pins of this case's report).
 */
export async function requireCaseKeys(detail: CaseDetail, keys: readonly string[], opts: { reporter: boolean }): Promise<void> {
  if (roots().length === 0) throw new TrustRefusal('no-root');
  if (opts.reporter) await requireReporterKey(detail);
  await requireVouched(keys, { role: 'team', extraRoots: caseRoots(reports.get(detail)) });
}

const MESSAGES: Record<TrustRefusalCode, TeamMessageKey> = {
  uncertified: 'trust.refused.uncertified',
  'no-root': 'trust.refused.noRoot',
  'reporter-key': 'trust.refused.reporterKey',
};

/** The refusal's sentence. */
export function refusalText(refusal: TrustRefusal): string {
  return t(MESSAGES[refusal.code], { who: t(`trust.who.${refusal.role}`) });
}

/** Shows `failure` in `where`: a TrustRefusal as the marked element, anything else as `otherwise(failure)`. */
export function showProblem(where: HTMLElement, failure: unknown, otherwise: (failure: unknown) => string): void {
  if (failure instanceof TrustRefusal) return showRefusal(where, failure);
  where.textContent = otherwise(failure);
  where.hidden = false;
}

/** A refusal in a flow with no form of its own (the inbox index key): a banner at the top of the page. */
export function trustBanner(refusal: TrustRefusal): void {
  let banner = document.getElementById('trust-refusal-banner');
  if (!banner) {
    banner = h('p', { id: 'trust-refusal-banner', class: 'notice error' });
    document.querySelector('main')?.prepend(banner) ?? document.body.prepend(banner);
  }
  showRefusal(banner, refusal);
}

/** Shows the refusal in `where` (replacing what it held): a visible element carrying data-trust-refusal. */
export function showRefusal(where: HTMLElement, refusal: TrustRefusal): void {
  where.replaceChildren(h('span', { class: 'trust-refusal', attrs: { 'data-trust-refusal': refusal.code, role: 'alert' }, text: refusalText(refusal) }));
  where.hidden = false;
}
