/**
 * The fields of a case that leave the server, for investigators (and the
 * thread messages, shared with the reporter's status view). Never a row.
 */
import type { AttachmentRef, CaseDetail, CaseSummary, ThreadMessage } from '../../common/api.ts';
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
    version: c.version,
    assignee: c.assigneeId ? { id: c.assigneeId, displayName: c.assigneeName ?? '' } : null,
    labels: c.labels,
    riskLevel: c.riskLevel,
    outcome: c.outcome,
  };
}

/** A thread message, with the files sent with it (if any). */
export function presentMessage(m: MessageRecord, files: readonly AttachmentRef[] = []): ThreadMessage {
  return { id: m.id, from: m.author, day: m.day, body: toBase64Url(m.body), ...(files.length > 0 ? { attachments: [...files] } : {}) };
}

/** The report's own files, and each message's files by message id: id and ciphertext size only. */
export function splitAttachments(all: readonly AttachmentInfo[]): { report: AttachmentRef[]; byMessage: Map<string, AttachmentRef[]> } {
  const report: AttachmentRef[] = [];
  const byMessage = new Map<string, AttachmentRef[]>();
  for (const a of all) {
    const ref = { id: a.id, size: a.size };
    if (a.messageId === null) report.push(ref);
    else byMessage.set(a.messageId, [...(byMessage.get(a.messageId) ?? []), ref]);
  }
  return { report, byMessage };
}

/** The thread and the report's files, as both sides see them. */
export function presentThread(messages: readonly MessageRecord[], all: readonly AttachmentInfo[]): { messages: ThreadMessage[]; attachments: AttachmentRef[] } {
  const { report, byMessage } = splitAttachments(all);
  return { messages: messages.map((m) => presentMessage(m, byMessage.get(m.id))), attachments: report };
}

export function presentDetail(input: {
  listing: TeamCaseListing;
  record: CaseRecord;
  messages: MessageRecord[];
  history: StageEntry[];
  teamKeys: string[];
  attachments: AttachmentInfo[];
}): Omit<CaseDetail, 'notes' | 'noteKeys' | 'risk' | 'exclusions'> {
  return {
    case: presentSummary(input.listing),
    reporterPublicKey: input.record.reporterPublicKey,
    report: toBase64Url(input.record.report),
    ...presentThread(input.messages, input.attachments),
    teamKeys: input.teamKeys,
    history: input.history.map((h) => ({
      stage: h.stage,
      day: h.day,
      reason: h.reason,
      by: h.byName ?? (h.stage === 'received' ? 'reporter' : 'system'),
    })),
  };
}
