/**
 * The fields of a case that leave the server, for investigators (and the
 * thread messages, shared with the reporter's status view). Never a row.
 */
import type { CaseDetail, CaseSummary, ThreadMessage } from '../../common/api.ts';
import type { AttachmentInfo, CaseRecord, MessageRecord, StageEntry, TeamCaseListing } from '../../db/index.ts';
import { toBase64Url } from '../encoding.ts';
import { feedbackByDay } from './deadlines.ts';

export function presentSummary(c: TeamCaseListing): CaseSummary {
  return {
    id: c.id,
    teamId: c.teamId,
    channel: { slug: c.channelSlug, name: c.channelName },
    stage: c.stage,
    receivedDay: c.receivedDay,
    acknowledgedDay: c.acknowledgedDay,
    acknowledgeByDay: c.acknowledgeByDay,
    feedbackByDay: feedbackByDay(c),
    closedDay: c.closedDay,
    lastActivityDay: c.lastActivityDay,
    awaitingReply: c.awaitingReply,
    urgent: c.urgentDay !== null,
    urgentDay: c.urgentDay,
  };
}

export function presentMessage(m: MessageRecord): ThreadMessage {
  return { id: m.id, from: m.author, day: m.day, body: toBase64Url(m.body) };
}

export function presentDetail(input: {
  listing: TeamCaseListing;
  record: CaseRecord;
  messages: MessageRecord[];
  history: StageEntry[];
  teamKeys: string[];
  attachments: AttachmentInfo[];
}): CaseDetail {
  return {
    case: presentSummary(input.listing),
    reporterPublicKey: input.record.reporterPublicKey,
    report: toBase64Url(input.record.report),
    messages: input.messages.map(presentMessage),
    teamKeys: input.teamKeys,
    history: input.history.map((h) => ({
      stage: h.stage,
      day: h.day,
      reason: h.reason,
      by: h.byName ?? (h.stage === 'received' ? 'reporter' : 'system'),
    })),
    attachments: input.attachments.map((a) => ({ id: a.id, size: a.size })),
  };
}
