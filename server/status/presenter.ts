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
  record: CaseRecord, messages: MessageRecord[], teamKeys: string[], followUp: ReporterFollowUp,
  attachments: AttachmentInfo[] = [],
): StatusView {
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
    report: toBase64Url(record.report),
    ...presentThread(messages, attachments),
    satisfactionGiven: followUp.satisfactionGiven,
  };
}
