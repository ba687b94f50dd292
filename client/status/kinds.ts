/**
 * How the reporter sees messages of each kind (common/report.ts): a label on
 * top, and under a transcript from the team the two answers, "Approve" and
 * "Correct", until the reporter has answered it.
 */
import { REPORT_VERSION, type MessageContent, type SatisfactionLevel } from '../../common/report.ts';
import { assertNever, LIMITS } from '../../common/limits.ts';
import { t, tr, type MessageKey } from '../i18n/index.ts';
import { h, setBusy, show } from '../lib/dom.ts';
import type { OpenedMessage } from '../lib/thread.ts';
import { describeError } from '../lib/worker-errors.ts';

export const FACES: Readonly<Record<SatisfactionLevel, { picture: string; word: MessageKey }>> = {
  1: { picture: '😠', word: 'followup.level1' },
  2: { picture: '🙁', word: 'followup.level2' },
  3: { picture: '😐', word: 'followup.level3' },
  4: { picture: '🙂', word: 'followup.level4' },
  5: { picture: '😀', word: 'followup.level5' },
};

/** The reporter's latest answer to each transcript, by the transcript's message id. */
export function transcriptAnswers(messages: readonly OpenedMessage[]): Map<string, Extract<MessageContent, { kind: 'transcript_response' }>> {
  const answers = new Map<string, Extract<MessageContent, { kind: 'transcript_response' }>>();
  for (const m of messages) {
    if (m.from === 'reporter' && m.content?.kind === 'transcript_response') answers.set(m.content.transcriptMessageId, m.content);
  }
  return answers;
}

export type SendAnswer = (content: MessageContent) => Promise<void>;

function answerBox(transcriptMessageId: string, send: SendAnswer): HTMLElement {
  const status = h('p', { class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  const error = h('p', { class: 'notice error', attrs: { role: 'alert' } });
  show(error, false);
  const correction = h('textarea', { class: 'transcript-correction', attrs: { rows: '3', spellcheck: 'false' } });
  correction.maxLength = LIMITS.messageChars;
  const correctionId = `correction-${transcriptMessageId}`;
  correction.id = correctionId;
  const correctionField = h('div', { class: 'field' }, h('label', { text: t('followup.correctionLabel'), attrs: { for: correctionId } }), correction);
  const sendCorrection = h('button', { class: 'btn primary transcript-send-correction', text: t('followup.sendCorrection'), attrs: { type: 'button' } });
  const correctionBox = h('div', { class: 'stack' }, correctionField, sendCorrection);
  show(correctionBox, false);
  const approve = h('button', { class: 'btn primary transcript-approve', text: t('followup.approve'), attrs: { type: 'button' } });
  const correct = h('button', { class: 'btn transcript-correct', text: t('followup.correct'), attrs: { type: 'button', 'aria-expanded': 'false' } });
  const box = h('div', { class: 'transcript-answer' }, h('p', { text: t('followup.transcriptAsk') }), h('div', { class: 'button-row' }, approve, correct), correctionBox, status, error);

  async function answer(approves: boolean): Promise<void> {
    show(error, false);
    const text = correction.value.trim();
    if (!approves && !text) {
      tr(error, 'followup.needCorrection');
      show(error);
      return correction.focus();
    }
    setBusy(box, true);
    tr(status, 'status.sending');
    try {
      await send({
        v: REPORT_VERSION, kind: 'transcript_response', transcriptMessageId, approves, text: approves ? '' : text,
        ...(approves ? {} : { correction: text }),
      });
    } catch (failure) {
      status.textContent = '';
      tr(error, 'status.sendFailed', { reason: describeError(failure) });
      show(error);
      setBusy(box, false);
    }
  }
  approve.addEventListener('click', () => void answer(true));
  correct.addEventListener('click', () => {
    show(correctionBox);
    correct.setAttribute('aria-expanded', 'true');
    correction.focus();
  });
  sendCorrection.addEventListener('click', () => void answer(false));
  return box;
}

function label(item: HTMLLIElement, text: string, extra?: string): void {
  item.querySelector('.message-meta')?.after(h('p', { class: 'message-kind', text }));
  if (extra) item.append(h('p', { class: 'message-extra', text: extra }));
}

/** The `decorate` hook of renderThread for the status page. */
export function reporterDecorator(messages: readonly OpenedMessage[], send: SendAnswer): (item: HTMLLIElement, m: OpenedMessage) => void {
  const answers = transcriptAnswers(messages);
  return (item, m) => {
    const content = m.content;
    if (!content) return;
    if (!content.text) item.querySelector('.message-text')?.remove();
    switch (content.kind) {
      case 'message':
        return;
      case 'retaliation':
        return label(item, t('followup.kindRetaliation'), content.when && t('followup.retaliationWhenLine', { when: content.when }));
      case 'meeting_request':
        return label(item, t('followup.kindMeeting'), content.preferred);
      case 'transcript': {
        if (m.from !== 'team') return;
        label(item, t('followup.kindTranscript'));
        const answer = answers.get(m.id);
        if (answer) item.append(h('p', { class: 'badge info', text: t(answer.approves ? 'followup.approved' : 'followup.correctionSent') }));
        else item.append(answerBox(m.id, send));
        return;
      }
      case 'transcript_response':
        return label(item, t(content.approves ? 'followup.kindApproved' : 'followup.kindCorrection'));
      case 'satisfaction': {
        const face = FACES[content.level];
        return label(item, t('followup.kindSatisfaction', { level: `${face.picture} ${t(face.word)}` }));
      }
      default:
        return assertNever(content);
    }
  };
}
