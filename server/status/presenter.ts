/**
 * The reporter's status view: stage, dates, the ciphertexts their browser
 * decrypts, the keys a reply must be encrypted to. Nothing about who the
 * investigators are, which team(s) see it, or any internal label.
 */
import type { StatusView } from '../../common/api.ts';
import type { AttachmentInfo, CaseRecord, MessageRecord, ReporterFollowUp } from '../../db/index.ts';
import { feedbackByDay } from '../cases/deadlines.ts';
import { presentThread } from '../cases/presenter.ts';
import { toBase64Url } from '../encoding.ts';

export function presentStatus(
  record: CaseRecord, messages: MessageRecord[], teams: StatusView['teams'], followUp: ReporterFollowUp,
  attachments: AttachmentInfo[] = [],
): StatusView {
  // Each key once, in the order of server/recipients (investigators, then the recovery key, per team).
  const teamKeys = [...new Set(teams.flatMap((team) => [...team.investigatorKeys, team.recoveryKey]))];
  return {
    stage: record.stage,
    receivedDay: record.receivedDay,
    acknowledgedDay: record.acknowledgedDay,
    acknowledgeByDay: record.acknowledgeByDay,
    feedbackByDay: feedbackByDay(record),
    closedDay: record.closedDay,
    reporterPublicKey: record.reporterPublicKey,
    wrappedReporterKey: record.wrappedReporterKey,
    teamKeys,
    teams,
    statusBinding: record.statusBinding ?? null,
    report: toBase64Url(record.report),
    ...presentThread(messages, attachments),
    satisfactionGiven: followUp.satisfactionGiven,
  };
}
