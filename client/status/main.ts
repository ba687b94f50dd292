/**
 * The reporter's status page (/status): type the token, see the stage, the
 * dates, the thread and the report; reply; leave.
 *
 * The token is read from the input, parsed and turned into credentials in
 * this tab; it is never sent, stored or put in a URL. The input is emptied
 * as soon as the case opens; "leave" (or 15 idle minutes, or leaving the
 * page) wipes the key and everything shown.
 *
 * Test hooks (ids): #lang-picker, #token-form, #token-input, #token-open,
 * #token-error (role=alert), #token-progress, #case-view, #status-readers (who reads
 * the case, from its binding), #status-leave,
 * #status-left, #stage-timeline (li[aria-current=step] is the stage now),
 * #stage-dates, #thread (li.message.from-reporter / .from-team),
 * #reply-text, #reply-send, #reply-status, #reply-error, #reply-attach-input,
 * #reply-attach-list (items with data-state), #reply-attach-error, the reply's
 * voice recorder (#reply-voice-…, client/voice/recorder.ts), under a message
 * in #thread: .message-files li[data-attachment-id] with an Open button, #own-report,
 * #late-notice; follow-up (./followup.ts): #retaliation-open, #retaliation-form,
 * #retaliation-what, #retaliation-when, #retaliation-send, #retaliation-sent,
 * #meeting-open, #meeting-preferred, #meeting-send, #meeting-sent,
 * #satisfaction-form, #satisfaction-N (N = 1…5), #satisfaction-comment,
 * #satisfaction-send, #satisfaction-thanks; under a transcript in #thread
 * (li[data-kind=transcript]): .transcript-approve, .transcript-correct,
 * .transcript-correction, .transcript-send-correction; #trust-refusal
 * (data-trust-refusal=<code>, ./trust.ts) when the server's answer failed the
 * page's trust check: the case is closed on this phone and nothing is sent.
 */
import { i18n, tr, trn } from '../i18n/index.ts';
import { ApiError, waitMinutes } from '../lib/api.ts';
import { loadCrypto } from '../lib/crypto.ts';
import { byId, focusOn, setBusy, show } from '../lib/dom.ts';
import { watchIdle } from '../lib/idle.ts';
import { mountLanguagePicker } from '../lib/lang-picker.ts';
import { installListen } from '../lib/listen.ts';
import { describeError } from '../lib/worker-errors.ts';
import type { MessageContent } from '../../common/report.ts';
import { mountFollowUp } from './followup.ts';
import { mountReply } from './reply.ts';
import { openSession, type CaseState, type ReporterSession } from './session.ts';
import type { TrustCode } from './trust.ts';
import { clearCase, renderCase } from './view.ts';

const IDLE_MS = 15 * 60 * 1000;
const tokenForm = byId<HTMLFormElement>('token-form');
const tokenInput = byId<HTMLInputElement>('token-input');
const tokenError = byId('token-error');
const tokenProgress = byId('token-progress');
const caseView = byId('case-view');
const refusalBox = byId('trust-refusal');
/** The last refusal, said again when the language changes. */
let refused: TrustCode | undefined;

/**
 * The server's answer failed a trust check (./trust.ts): the case is closed
 * on this phone (key wiped, nothing shown, no form to send from) and the
 * worker is told why in their language.
 */
function refuse(code: TrustCode): void {
  refused = code;
  const heading = document.createElement('strong');
  const text = document.createElement('p');
  tr(heading, 'trust.heading');
  tr(text, `trust.${code}`);
  refusalBox.replaceChildren(heading, text);
  refusalBox.dataset.trustRefusal = code;
  leave(false);
  show(byId('status-left'), false);
  show(refusalBox);
  focusOn(refusalBox);
}

let open: { session: ReporterSession; state: CaseState; stopIdle: () => void } | undefined;

/** Shows why the case did not open; with `count`, `key` is a counted text (`key.one`, `key.other`, …). */
function fail(key: Parameters<typeof tr>[1] | 'status.tooMany', vars?: Record<string, string | number>, count?: number): void {
  if (count === undefined) tr(tokenError, key as Parameters<typeof tr>[1], vars);
  else trn(tokenError, key, count, vars);
  show(tokenError);
  tokenInput.setAttribute('aria-invalid', 'true');
  tokenInput.focus();
}

function failFrom(error: unknown): void {
  if (error instanceof ApiError && error.status === 404) return fail('status.notFound');
  if (error instanceof ApiError && error.status === 429) return fail('status.tooMany', undefined, waitMinutes(error));
  fail('status.openFailed', { reason: describeError(error) });
}

async function onOpen(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (open) return;
  show(tokenError, false);
  tokenInput.removeAttribute('aria-invalid');
  setBusy(tokenForm, true);
  tr(tokenProgress, 'status.opening');
  try {
    const crypto = await loadCrypto();
    const parsed = crypto.parseToken(tokenInput.value);
    if (!parsed.ok) {
      const count = (tokenInput.value.match(/\p{Nd}/gu) ?? []).length;
      if (parsed.reason === 'length') return fail('status.badLength', { count });
      return fail(parsed.reason === 'characters' ? 'status.badCharacters' : 'status.badCheck');
    }
    const { session, state } = await openSession(parsed.token);
    tokenInput.value = '';
    if (state.refusal) {
      session.close();
      return refuse(state.refusal);
    }
    show(refusalBox, false);
    open = { session, state, stopIdle: watchIdle(IDLE_MS, leave) };
    show(tokenForm, false);
    show(byId('status-left'), false);
    renderCase(state, answerTranscript, session.files);
    show(caseView);
    focusOn(byId('stage-heading'));
  } catch (error) {
    failFrom(error);
  } finally {
    setBusy(tokenForm, false);
    tokenProgress.textContent = '';
    delete tokenProgress.dataset.i18n;
  }
}

function leave(focus = true): void {
  if (!open) return;
  open.stopIdle();
  open.session.close();
  open = undefined;
  clearCase();
  reply.clear();
  show(caseView, false);
  show(tokenForm);
  show(byId('status-left'));
  if (focus) focusOn(byId('status-left'));
}

mountLanguagePicker();
installListen();
tokenForm.addEventListener('submit', (event) => void onOpen(event));
byId('status-leave').addEventListener('click', () => leave());
// Leaving the page (or putting it in the back/forward cache) wipes the key too.
window.addEventListener('pagehide', () => leave());
function updated(state: CaseState): void {
  if (!open) return;
  if (state.refusal) return refuse(state.refusal);
  open.state = state;
  renderCase(state, answerTranscript, open.session.files);
}

/** Approve / Correct under a transcript: an ordinary encrypted message of kind transcript_response. */
async function answerTranscript(content: MessageContent): Promise<void> {
  const session = open?.session;
  if (!session) return;
  await session.sendContent(content);
  try {
    updated(await session.load());
  } catch {
    // Sent; the thread shows it next time the case is opened.
  }
}

const reply = mountReply(() => open?.session, updated);
mountFollowUp(() => open?.session, updated);
i18n.onChange(() => {
  if (open) renderCase(open.state, answerTranscript, open.session.files);
  if (refused && !refusalBox.hidden) refuse(refused);
});
show(tokenForm);
tokenInput.focus();
