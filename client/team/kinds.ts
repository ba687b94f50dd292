/**
 * How investigators see messages of each kind (common/report.ts): retaliation
 * and meeting requests highlighted, each transcript with the reporter's
 * answer ("approved" / "correction requested"), the satisfaction answer.
 */
import { assertNever } from '../../common/limits.ts';
import type { MessageContent } from '../../common/report.ts';
import { formatDay, t, type TeamMessageKey } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import type { OpenedMessage } from '../lib/thread.ts';

const SATISFACTION: Readonly<Record<1 | 2 | 3 | 4 | 5, TeamMessageKey>> = {
  1: 'case.satisfaction.1',
  2: 'case.satisfaction.2',
  3: 'case.satisfaction.3',
  4: 'case.satisfaction.4',
  5: 'case.satisfaction.5',
};

type Answer = { day: string; content: Extract<MessageContent, { kind: 'transcript_response' }> };

function label(item: HTMLLIElement, text: string, extra?: string): void {
  item.querySelector('.message-meta')?.after(h('p', { class: 'message-kind', text }));
  if (extra) item.append(h('p', { class: 'message-extra', text: extra }));
}

/** The `decorate` hook of renderThread for the case view. */
export function teamDecorator(messages: readonly OpenedMessage[]): (item: HTMLLIElement, m: OpenedMessage) => void {
  const answers = new Map<string, Answer>();
  /** The day and the first words of each transcript, to name it under the reporter's answer. */
  const transcripts = new Map<string, { day: string; excerpt: string }>();
  for (const m of messages) {
    if (m.from === 'team' && m.content?.kind === 'transcript') {
      const text = m.content.text;
      transcripts.set(m.id, { day: m.day, excerpt: text.length > 40 ? `${text.slice(0, 40)}…` : text });
    }
    if (m.from === 'reporter' && m.content?.kind === 'transcript_response') answers.set(m.content.transcriptMessageId, { day: m.day, content: m.content });
  }
  return (item, m) => {
    const content = m.content;
    if (!content) return;
    if (!content.text) item.querySelector('.message-text')?.remove();
    switch (content.kind) {
      case 'message':
        return;
      case 'retaliation':
        return label(item, t('case.kind.retaliation'), t('case.kind.retaliationWhen', { when: content.when || '—' }));
      case 'meeting_request':
        return label(item, t('case.kind.meeting'), content.preferred && t('case.kind.meetingPreferred', { preferred: content.preferred }));
      case 'transcript': {
        label(item, t('case.kind.transcript'));
        const answer = answers.get(m.id);
        const state = !answer
          ? h('p', { class: 'badge transcript-state', text: t('case.transcript.waiting'), attrs: { 'data-state': 'waiting' } })
          : answer.content.approves
            ? h('p', { class: 'badge info transcript-state', text: t('case.transcript.approved', { date: formatDay(answer.day, 'medium') }), attrs: { 'data-state': 'approved' } })
            : h('p', { class: 'badge danger transcript-state', text: t('case.transcript.correction', { date: formatDay(answer.day, 'medium') }), attrs: { 'data-state': 'correction' } });
        item.append(state);
        return;
      }
      case 'transcript_response': {
        const of = transcripts.get(content.transcriptMessageId);
        const vars = { date: of ? formatDay(of.day, 'medium') : '?', excerpt: of?.excerpt ?? '?' };
        return label(item, t(content.approves ? 'case.kind.transcriptApproved' : 'case.kind.transcriptCorrection', vars));
      }
      case 'satisfaction':
        return label(item, t('case.kind.satisfaction', { level: content.level, word: t(SATISFACTION[content.level]) }));
      default:
        return assertNever(content);
    }
  };
}
