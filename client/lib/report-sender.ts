/**
 * Sends a report, encrypted, in the order the protocol needs:
 * channel → token → token secrets → reporter key → wrap → proof of work →
 * encrypt → intake. Token, secrets, reporter key and proof of work do not
 * depend on the report: the form has them made while the worker writes
 * (./groundwork.ts), and they are made here only if they are not ready.
 * The only request that carries the report holds the OpenPGP ciphertext
 * from encryptJson; there is no other path.
 *
 * The token is returned to the caller for the receipt and goes nowhere else:
 * not into a request, a URL or storage. Only its derived lookup id and
 * verifier are sent. Until the report is received it is held in this
 * module's memory with the prepared request, so that a retry sends the same
 * report (HeldReport below).
 */
import type { ChannelInfo, IntakeReceipt, IntakeRequest } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import { ApiError, postJson } from './api.ts';
import { ANSWER_WITHIN_MS, isTransient, untilAnswered } from './resend.ts';
import { assertCiphertext, loadCrypto, uniqueKeys, type CryptoModule } from './crypto.ts';
import { dropGroundwork, isFresh, solvePow, takeGroundwork, wipe, type ReporterKeyPair } from './groundwork.ts';
import { i18n } from '../i18n/index.ts';
import { shownName, verifyTeams, type Trust } from './pins.ts';

export type { ReporterKeyPair };

export const STEPS = ['channel', 'token', 'derive', 'keys', 'pow', 'encrypt', 'send'] as const;
export type Step = (typeof STEPS)[number];

/** The channel offers no team that can receive reports. */
export class NoTeamError extends Error {
  override name = 'NoTeamError';
}

export { fetchChannel } from './channel.ts';

/**
 * The steps after the channel is known, shared by the worker's form
 * (client/report/send.ts) and the team's "report on behalf of a worker"
 * (client/team/on-behalf/): the same token, secrets, reporter key, proof of
 * work, encryption and intake. `reporter` is called after the token's secrets
 * are derived (the form's pair lives in client/report/reporter-key.ts; the
 * team page makes a fresh one).
 */
/**
 * The report being sent, kept in this page's memory across tries: the token,
 * and the request with its ciphertexts exactly as first made. Sending again
 * sends the same bytes, so a report whose answer was lost on the way back is
 * answered with its original receipt, not filed twice (server/intake/replay.ts).
 * Only the proof of work may be renewed. Gone once the report is received or
 * refused; a changed report (text, teams, files) is a new one, with a new token.
 */
interface HeldReport {
  key: string;
  token: string;
  lookupId: string;
  request: Omit<IntakeRequest, 'pow'>;
  pow?: IntakeRequest['pow'];
}

let held: HeldReport | undefined;

/** The proof of work was refused: a new challenge (for a retry, when the first one expired). */
const POW_CODES = new Set(['pow_invalid', 'pow_expired', 'pow_reused']);

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
  /** No answer came yet; the same report is tried again after a pause (./resend.ts). */
  onWaiting?: () => void;
}): Promise<{ token: string; receipt: IntakeReceipt; lookupId: string }> {
  const { channel, onStep, attachments = { ids: [] } } = options;
  if (options.teams.length === 0) throw new NoTeamError('no team to send to');
  // Only keys certified by a pinned recovery key are encrypted to; otherwise PinError and nothing is sent.
  const teams = await verifyTeams(options.teams, options.trust);
  const crypto = await loadCrypto();
  // Inside the ciphertext: the status page checks the keys of later messages against the same pins.
  const pins = await Promise.all(teams.map((team) => crypto.fingerprintOf(team.recoveryKey)));
  const content: ReportContent = { ...options.content, pins };
  const key = JSON.stringify([channel.slug, teams.map((team) => team.id), content, attachments.ids, attachments.uploadTicket ?? null]);
  if (held?.key !== key) held = undefined;
  const report = held ?? (held = await prepare({ key, crypto, teams, pins, content, channel, attachments, onStep, reporter: options.reporter }));

  try {
    const receipt = await untilAnswered(async () => {
      try {
        return await deliver(report, crypto, onStep);
      } catch (error) {
        if (!(error instanceof ApiError) || !POW_CODES.has(error.code)) throw error;
        report.pow = undefined; // expired or spent by a try that failed after it: solve a new one, once
        return await deliver(report, crypto, onStep);
      }
    }, options.onWaiting);
    held = undefined;
    return { token: report.token, receipt, lookupId: report.lookupId };
  } catch (error) {
    // Refused (not merely unanswered): nothing was stored, the next try starts afresh.
    if (!isTransient(error) && held === report) held = undefined;
    throw error;
  }
}

/** Drops the held report and any groundwork not yet used (the page was cleared). */
export function forgetHeldReport(): void {
  held = undefined;
  dropGroundwork();
}

async function prepare(input: {
  key: string;
  crypto: CryptoModule;
  teams: Awaited<ReturnType<typeof verifyTeams>>;
  pins: string[];
  content: ReportContent;
  channel: ChannelInfo;
  attachments: { uploadTicket?: string; ids: string[] };
  onStep: (step: Step, fraction?: number) => void;
  reporter: () => Promise<ReporterKeyPair>;
}): Promise<HeldReport> {
  const { crypto, teams, pins, onStep, attachments } = input;
  // Ready if the worker wrote for a while (./groundwork.ts); else made now, each step shown as it is done.
  const { token, secrets, reporter, solved } = await takeGroundwork(input.reporter, onStep);
  try {
    // Protocol v2: wrapped for v2 (its case must carry a binding), and the binding the status page checks
    // every later key against: the pins checked here, the names shown, the reporter key (crypto/binding.ts).
    const wrappedReporterKey = await crypto.wrapKey({ key: reporter.privateKey, wrapKey: secrets.wrapKey, purpose: 'reporter-v2' });
    const statusBinding = await crypto.sealBinding({
      bindingKey: secrets.bindingKey,
      record: {
        v: 2,
        reporterKey: reporter.privateKey.fingerprint.toLowerCase(),
        // The name the form showed: in the worker's language when signed by the team (./pins.ts shownName),
        // so the status page, which shows the bound names, speaks it too.
        teams: teams.map((team, i) => ({ id: team.id, name: shownName(team, i18n.lang()), recovery: pins[i]! })),
      },
    });
    const held: HeldReport = {
      key: input.key,
      token,
      lookupId: secrets.lookupId,
      request: {
        channel: input.channel.slug,
        teamIds: teams.map((team) => team.id),
        lookupId: secrets.lookupId,
        verifier: secrets.verifier,
        reporterPublicKey: reporter.publicKey,
        wrappedReporterKey,
        report: '',
        statusBinding,
        ...(attachments.ids.length > 0 ? { attachments: attachments.ids, uploadTicket: attachments.uploadTicket } : {}),
      },
    };
    // A challenge fetched too long ago is not offered: deliver() solves a new one.
    if (isFresh(solved)) held.pow = solved.pow;
    onStep('encrypt');
    const recipients = uniqueKeys([...teams.flatMap((team) => team.recipientKeys), reporter.publicKey]);
    held.request.report = assertCiphertext(crypto, await crypto.encryptJson({ value: input.content, recipients }));
    return held;
  } finally {
    wipe(secrets);
  }
}

/** One try of the held report: the same bytes each time, with a proof of work. */
async function deliver(report: HeldReport, crypto: CryptoModule, onStep: (step: Step, fraction?: number) => void): Promise<IntakeReceipt> {
  report.pow ??= (await solvePow(crypto, onStep)).pow;
  onStep('send');
  return postJson<IntakeReceipt>('/api/intake', { ...report.request, pow: report.pow } satisfies IntakeRequest, { answerWithinMs: ANSWER_WITHIN_MS });
}
