/**
 * The report form's send: the teams the worker chose (./teams.ts), the link's
 * pins (client/lib/pins.ts) and the form's reporter key (./reporter-key.ts),
 * then the shared steps of client/lib/report-sender.ts.
 */
import type { ChannelInfo, IntakeReceipt } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import { loadCrypto } from '../lib/crypto.ts';
import { linkTrust } from '../lib/pins.ts';
import { fetchChannel, sendReport, type Step } from '../lib/report-sender.ts';
import { reporterKey } from './reporter-key.ts';
import { chosenOf } from './teams.ts';

/**
 * The teams a report (and each of its attachments) is encrypted to: the
 * worker's choice (./teams.ts), all of it. Nothing the server says may drop a
 * ticked team silently — not an empty `recipientKeys` (the keys encrypted to
 * are rebuilt from the checked ones, client/lib/pins.ts), not a longer list
 * than a report may go to (the intake then refuses the report, and the worker
 * is told).
 */
export function chosenTeams(channel: ChannelInfo): ChannelInfo['teams'] {
  return chosenOf(channel);
}

export async function submitReport(
  slug: string,
  content: ReportContent,
  onStep: (step: Step, fraction?: number) => void,
  /** Uploaded attachments (./attachments.ts), already encrypted to the same reporter key. */
  attachments: { uploadTicket?: string; ids: string[] } = { ids: [] },
  /** No answer yet: the same report is sent again after a pause (client/lib/resend.ts). */
  onWaiting?: () => void,
): Promise<{ token: string; receipt: IntakeReceipt }> {
  onStep('channel');
  const trust = linkTrust(); // no pins in the link: refuse before anything is fetched or made
  const [, channel] = await Promise.all([loadCrypto(), fetchChannel(slug)]);
  // The same pair the attachments were encrypted to; wiped by the page once the report is received.
  return sendReport({ channel, teams: chosenTeams(channel), content, onStep, attachments, reporter: reporterKey, trust, onWaiting });
}
