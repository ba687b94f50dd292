/**
 * The two forms under a case: an encrypted reply to the reporter (or a
 * transcript/minutes for the reporter to approve), and a
 * stage change (the server's 409 answer is shown as it comes).
 */
import type { CaseDetail, StageChangeRequest } from '../../common/api.ts';
import { LIMITS, OUTCOMES, type Outcome, type Stage } from '../../common/limits.ts';
import { REPORT_VERSION, type MessageContent } from '../../common/report.ts';
import * as crypto from '../../crypto/index.ts';
import { t, tr, type TeamMessageKey } from '../i18n/team.ts';
import { ApiError } from '../lib/api.ts';
import { byId, h, setBusy, show } from '../lib/dom.ts';
import { sealContent } from '../lib/thread.ts';
import { teamPost } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { nextStages, stageLabel } from './stages.ts';
import { requireCaseKeys, showProblem } from '../accounts/trust.ts';

type Current = () => CaseDetail | undefined;

/** Shows the stage select for a freshly loaded case. */
export function fillStageForm(detail: CaseDetail): void {
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
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const detail = current();
    if (!detail) return;
    show(error, false);
    const message = text.value.trim();
    if (!message) return void (tr(error, 'case.replyEmpty'), show(error));
    setBusy(form, true);
    tr(status, 'case.replySending');
    try {
      // A transcript/minutes (Art. 18) is a message of its own kind: the reporter approves or corrects it.
      const content: MessageContent = { v: REPORT_VERSION, kind: asTranscript.checked ? 'transcript' : 'message', text: message };
      // Nothing is sealed to a key the workspace's trust root does not vouch for (./trust.ts).
      await requireCaseKeys(detail, detail.teamKeys, { reporter: true });
      const body = await sealContent(crypto, content, detail.teamKeys, detail.reporterPublicKey);
      await teamPost(`/api/cases/${encodeURIComponent(detail.case.id)}/messages`, { body });
      text.value = '';
      asTranscript.checked = false;
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
