/**
 * The two forms under a case: an encrypted reply to the reporter (or a
 * transcript/minutes for the reporter to approve), written, spoken
 * (./reply-voice.ts) or both, and a stage change (the server's 409 answer is
 * shown as it comes).
 */
import type { CaseDetail, StageChangeRequest } from '../../common/api.ts';
import { LIMITS, OUTCOMES, type Outcome, type Stage } from '../../common/limits.ts';
import { REPORT_VERSION, type MessageContent } from '../../common/report.ts';
import * as crypto from '../../crypto/index.ts';
import { t, tr, type TeamMessageKey } from '../i18n/team.ts';
import { ApiError } from '../lib/api.ts';
import { byId, h, setBusy, show } from '../lib/dom.ts';
import { uniqueKeys } from '../lib/crypto.ts';
import { sealContent } from '../lib/thread.ts';
import { teamPost } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { nextStages, stageLabel } from './stages.ts';
import { requireCaseKeys, showProblem } from '../accounts/trust.ts';
import { mountVoiceReply } from './reply-voice.ts';

type Current = () => CaseDetail | undefined;

/** Set by the reply form: drops a recording made on another case. */
let forgetOtherCase: (caseId: string) => void = () => undefined;

/** Shows the stage select for a freshly loaded case (and forgets a recording made on another one). */
export function fillStageForm(detail: CaseDetail): void {
  forgetOtherCase(detail.case.id);
  const select = byId<HTMLSelectElement>('case-stage');
  const options = nextStages(detail.case.stage);
  select.replaceChildren(...options.map((stage) => h('option', { text: stageLabel(stage), attrs: { value: stage } })));
  show(byId('case-stage-form'), options.length > 0);
  showOutcome();
  const status = byId('case-stage-status');
  if (options.length === 0) tr(status, 'case.stageFinal');
  else status.textContent = '';
}

function mountReply(current: Current, reload: () => Promise<void>): void {
  const form = byId<HTMLFormElement>('case-reply-form');
  const text = byId<HTMLTextAreaElement>('case-reply');
  const status = byId('case-reply-status');
  const error = byId('case-reply-error');
  const asTranscript = byId<HTMLInputElement>('case-reply-transcript');
  text.maxLength = LIMITS.messageChars;
  // A recording belongs to the case it was made on: opening another case forgets it, so that it can never
  // be sent to a reporter it was not meant for.
  let recordedFor: string | undefined;
  const voice = mountVoiceReply(() => {
    recordedFor = current()?.case.id;
    if (error.dataset.i18n === 'case.replyEmpty') show(error, false);
  });
  forgetOtherCase = (caseId) => {
    if (recordedFor !== undefined && recordedFor !== caseId) voice.clear();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const detail = current();
    if (!detail) return;
    show(error, false);
    const message = text.value.trim();
    if (!message && !voice.has()) return void (tr(error, 'case.replyEmpty'), show(error));
    // A transcript is approved or corrected word for word: it is sent in writing only.
    if (voice.has() && asTranscript.checked) return void (tr(error, 'replyVoice.notTranscript'), show(error));
    setBusy(form, true);
    tr(status, 'case.replySending');
    try {
      // A transcript/minutes (Art. 18) is a message of its own kind: the reporter approves or corrects it.
      const content: MessageContent = { v: REPORT_VERSION, kind: asTranscript.checked ? 'transcript' : 'message', text: message };
      // Nothing is sealed to a key the workspace's trust root does not vouch for (./trust.ts) — the voice
      // reply neither: it is encrypted to the same checked keys as the words, before anything is sent.
      await requireCaseKeys(detail, detail.teamKeys, { reporter: true });
      let voiceId: string | undefined;
      if (voice.has()) {
        tr(status, 'replyVoice.encrypting');
        const meta = await voice.stage(detail.case.id, uniqueKeys([...detail.teamKeys, detail.reporterPublicKey]));
        if (meta) {
          content.attachments = [meta];
          voiceId = meta.id;
        }
        tr(status, 'case.replySending');
      }
      const body = await sealContent(crypto, content, detail.teamKeys, detail.reporterPublicKey);
      await teamPost(`/api/cases/${encodeURIComponent(detail.case.id)}/messages`, voiceId ? { body, voice: voiceId } : { body });
      text.value = '';
      asTranscript.checked = false;
      voice.clear();
      await reload();
      tr(status, 'case.replySent');
    } catch (failure) {
      status.textContent = '';
      showProblem(error, failure, problem);
      show(error);
    } finally {
      setBusy(form, false);
    }
  });
}

/** Closing needs an outcome (in the clear, as workflow data): the select shows only when `closed` is chosen. */
function showOutcome(): void {
  show(byId('case-outcome-field'), byId<HTMLSelectElement>('case-stage').value === 'closed');
}

function mountOutcome(): void {
  const outcome = byId<HTMLSelectElement>('case-outcome');
  outcome.replaceChildren(
    h('option', { text: t('work.outcomeChoose'), attrs: { value: '' } }),
    ...OUTCOMES.map((o) => h('option', { text: t(`work.outcome.${o}` as TeamMessageKey), attrs: { value: o } })),
  );
  byId('case-stage').addEventListener('change', showOutcome);
}

function mountStage(current: Current, reload: () => Promise<void>): void {
  const form = byId<HTMLFormElement>('case-stage-form');
  const select = byId<HTMLSelectElement>('case-stage');
  const reason = byId<HTMLTextAreaElement>('case-stage-reason');
  const status = byId('case-stage-status');
  const error = byId('case-stage-error');
  reason.maxLength = LIMITS.stageReasonChars;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const detail = current();
    if (!detail || !select.value) return;
    show(error, false);
    const request: StageChangeRequest = { stage: select.value as Stage };
    if (reason.value.trim()) request.reason = reason.value.trim();
    if (request.stage === 'closed' && !request.reason) {
      tr(error, 'case.reasonRequired');
      show(error);
      return reason.focus();
    }
    const outcome = byId<HTMLSelectElement>('case-outcome');
    if (request.stage === 'closed') {
      if (!outcome.value) {
        tr(error, 'work.outcomeRequired');
        show(error);
        return outcome.focus();
      }
      request.outcome = outcome.value as Outcome;
    }
    setBusy(form, true);
    tr(status, 'case.stageSaving');
    try {
      await teamPost(`/api/cases/${encodeURIComponent(detail.case.id)}/stage`, request);
      reason.value = '';
      outcome.value = '';
      await reload();
      tr(status, 'case.stageSaved');
    } catch (failure) {
      status.textContent = '';
      error.textContent =
        failure instanceof ApiError && failure.status === 409 ? t('case.stageRefused', { message: failure.message }) : problem(failure);
      show(error);
    } finally {
      setBusy(form, false);
    }
  });
}

export function mountCaseActions(current: Current, reload: () => Promise<void>): void {
  mountReply(current, reload);
  mountOutcome();
  mountStage(current, reload);
}
