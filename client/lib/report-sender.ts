/**
 * Sends a report, encrypted, in the order the protocol needs:
 * channel → token → token secrets → reporter key → wrap → proof of work →
 * encrypt → intake. The only request that carries the report holds the
 * OpenPGP ciphertext from encryptJson; there is no other path.
 *
 * The token is returned to the caller for the receipt and goes nowhere else:
 * not into a request, a URL or storage. Only its derived lookup id and
 * verifier are sent.
 */
import type { ChannelInfo, IntakeReceipt, IntakeRequest, PowChallenge } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import { getJson, postJson } from './api.ts';
import { assertCiphertext, loadCrypto, uniqueKeys, type CryptoModule } from './crypto.ts';
import { verifyTeams, type Trust } from './pins.ts';

export type ReporterKeyPair = Awaited<ReturnType<CryptoModule['generateKeyPair']>>;

export const STEPS = ['channel', 'token', 'derive', 'keys', 'pow', 'encrypt', 'send'] as const;
export type Step = (typeof STEPS)[number];

/** The channel offers no team that can receive reports. */
export class NoTeamError extends Error {
  override name = 'NoTeamError';
}

export function fetchChannel(slug: string): Promise<ChannelInfo> {
  return getJson<ChannelInfo>(`/api/channels/${encodeURIComponent(slug)}`);
}

/**
 * The steps after the channel is known, shared by the worker's form
 * (client/report/send.ts) and the team's "report on behalf of a worker"
 * (client/team/on-behalf/): the same token, secrets, reporter key, proof of
 * work, encryption and intake. `reporter` is called after the token's secrets
 * are derived (the form's pair lives in client/report/reporter-key.ts; the
 * team page makes a fresh one).
 */
export async function sendReport(options: {
  channel: ChannelInfo;
  teams: ChannelInfo['teams'];
  /** The report; the team page adds how it was received (client/team/on-behalf/form.ts). */
  content: ReportContent;
  onStep: (step: Step, fraction?: number) => void;
  reporter: () => Promise<ReporterKeyPair>;
  attachments?: { uploadTicket?: string; ids: string[] };
  /** Which recovery keys vouch for the teams' keys (./pins.ts): the link's pins, or what the team's browser knows. */
  trust: Trust;
}): Promise<{ token: string; receipt: IntakeReceipt; lookupId: string }> {
  const { channel, onStep, attachments = { ids: [] } } = options;
  if (options.teams.length === 0) throw new NoTeamError('no team to send to');
  // Only keys certified by a pinned recovery key are encrypted to; otherwise PinError and nothing is sent.
  const teams = await verifyTeams(options.teams, options.trust);
  const crypto = await loadCrypto();
  // Inside the ciphertext: the status page checks the keys of later messages against the same pins.
  const pins = await Promise.all(teams.map((team) => crypto.fingerprintOf(team.recoveryKey)));
  const content: ReportContent = { ...options.content, pins };

  onStep('token');
  const token = crypto.generateToken();
  onStep('derive');
  const secrets = await crypto.deriveTokenSecrets(token);
  onStep('keys');
  const reporter = await options.reporter();
  try {
    // Protocol v2: wrapped for v2 (its case must carry a binding), and the binding the status page checks
    // every later key against: the pins checked here, the names shown, the reporter key (crypto/binding.ts).
    const wrappedReporterKey = await crypto.wrapKey({ key: reporter.privateKey, wrapKey: secrets.wrapKey, purpose: 'reporter-v2' });
    const statusBinding = await crypto.sealBinding({
      bindingKey: secrets.bindingKey,
      record: {
        v: 2,
        reporterKey: reporter.privateKey.fingerprint.toLowerCase(),
        teams: teams.map((team, i) => ({ id: team.id, name: team.name, recovery: pins[i]! })),
      },
    });

    onStep('pow', 0);
    const challenge = await postJson<PowChallenge>('/api/pow', {});
    const expectedTries = 2 ** challenge.difficulty;
    const nonce = await crypto.solvePow({ ...challenge, onProgress: (tries) => onStep('pow', Math.min(0.99, tries / expectedTries)) });

    onStep('encrypt');
    const recipients = uniqueKeys([...teams.flatMap((team) => team.recipientKeys), reporter.publicKey]);
    const report = assertCiphertext(crypto, await crypto.encryptJson({ value: content, recipients }));

    onStep('send');
    const request: IntakeRequest = {
      channel: channel.slug,
      teamIds: teams.map((team) => team.id),
      pow: { challenge: challenge.challenge, nonce },
      lookupId: secrets.lookupId,
      verifier: secrets.verifier,
      reporterPublicKey: reporter.publicKey,
      wrappedReporterKey,
      report,
      statusBinding,
      ...(attachments.ids.length > 0 ? { attachments: attachments.ids, uploadTicket: attachments.uploadTicket } : {}),
    };
    const receipt = await postJson<IntakeReceipt>('/api/intake', request);
    return { token, receipt, lookupId: secrets.lookupId };
  } finally {
    secrets.wrapKey.fill(0);
    secrets.bindingKey.fill(0);
  }
}
