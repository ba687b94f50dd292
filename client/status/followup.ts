/**
 * The reporter's follow-up forms: report retaliation (sent to its own
 * endpoint so that the case becomes urgent for the team), ask for a meeting
 * in person, and answer the one question after closure. Each is encrypted on
 * this phone like any message; only its kind is inside.
 */
import { LIMITS } from '../../common/limits.ts';
import { REPORT_VERSION, SATISFACTION_LEVELS, type MessageContent, type SatisfactionLevel } from '../../common/report.ts';
import { t, tr, type MessageKey } from '../i18n/index.ts';
import { byId, focusOn, h, setBusy, show } from '../lib/dom.ts';
import { describeError } from '../lib/worker-errors.ts';
import { FACES } from './kinds.ts';
import type { CaseState, ReporterEndpoint, ReporterSession } from './session.ts';

type Current = () => ReporterSession | undefined;
type Updated = (state: CaseState) => void;

interface FormSpec {
  name: 'retaliation' | 'meeting' | 'satisfaction';
  endpoint: ReporterEndpoint;
  /** The message to send, or the key of what is missing. */
  build(): MessageContent | MessageKey;
  /** Shown after a successful send, instead of the form. */
  done: HTMLElement;
}

function mountForm(spec: FormSpec, current: Current, onUpdated: Updated): void {
  const form = byId<HTMLFormElement>(`${spec.name}-form`);
  const status = byId(`${spec.name}-status`);
  const error = byId(`${spec.name}-error`);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const session = current();
    if (!session) return;
    show(error, false);
    const content = spec.build();
    if (typeof content === 'string') {
      tr(error, content);
      return show(error);
    }
    setBusy(form, true);
    tr(status, 'status.sending');
    try {
      await session.sendContent(content, spec.endpoint);
    } catch (failure) {
      status.textContent = '';
      tr(error, 'status.sendFailed', { reason: describeError(failure) });
      show(error);
      return;
    } finally {
      setBusy(form, false);
    }
    status.textContent = '';
    form.reset();
    show(form, false);
    document.getElementById(`${spec.name}-open`)?.setAttribute('aria-expanded', 'false');
    show(spec.done);
    focusOn(spec.done);
    try {
      onUpdated(await session.load());
    } catch {
      // Sent; the thread shows it next time the case is opened.
    }
  });
}

/** A button that opens its form (and hides what a previous send showed). */
function mountOpener(name: 'retaliation' | 'meeting', firstField: string): void {
  const opener = byId(`${name}-open`);
  const form = byId<HTMLFormElement>(`${name}-form`);
  const toggle = (open: boolean) => {
    show(form, open);
    opener.setAttribute('aria-expanded', String(open));
    if (open) {
      show(byId(`${name}-sent`), false);
      byId(firstField).focus();
    }
  };
  opener.addEventListener('click', () => toggle(opener.getAttribute('aria-expanded') !== 'true'));
  byId(`${name}-cancel`).addEventListener('click', () => {
    form.reset();
    toggle(false);
    opener.focus();
  });
}

function fillFaces(): void {
  byId('satisfaction-levels').replaceChildren(
    ...SATISFACTION_LEVELS.map((level) => {
      const face = FACES[level];
      const input = h('input', { id: `satisfaction-${level}`, attrs: { type: 'radio', name: 'satisfaction-level', value: String(level) } });
      return h(
        'label',
        { class: 'face', attrs: { for: input.id } },
        input,
        h('span', { class: 'face-picture', text: face.picture, attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'face-word', text: t(face.word) }),
      );
    }),
  );
}

export function mountFollowUp(current: Current, onUpdated: Updated): void {
  const what = byId<HTMLTextAreaElement>('retaliation-what');
  const when = byId<HTMLInputElement>('retaliation-when');
  const preferred = byId<HTMLTextAreaElement>('meeting-preferred');
  const comment = byId<HTMLTextAreaElement>('satisfaction-comment');
  what.maxLength = LIMITS.messageChars;
  when.maxLength = 200;
  preferred.maxLength = LIMITS.messageChars;
  comment.maxLength = LIMITS.messageChars;
  mountOpener('retaliation', 'retaliation-what');
  mountOpener('meeting', 'meeting-preferred');
  fillFaces();
  // Choosing a face clears "please choose one face first".
  byId('satisfaction-levels').addEventListener('change', () => show(byId('satisfaction-error'), false));

  mountForm({
    name: 'retaliation', endpoint: '/api/status/retaliation', done: byId('retaliation-sent'),
    build: () => what.value.trim()
      ? { v: REPORT_VERSION, kind: 'retaliation', text: what.value.trim(), when: when.value.trim() }
      : 'followup.needWhat',
  }, current, onUpdated);
  mountForm({
    name: 'meeting', endpoint: '/api/status/messages', done: byId('meeting-sent'),
    build: () => ({ v: REPORT_VERSION, kind: 'meeting_request', text: '', preferred: preferred.value.trim() }),
  }, current, onUpdated);
  mountForm({
    name: 'satisfaction', endpoint: '/api/status/satisfaction', done: byId('satisfaction-thanks'),
    build: () => {
      const checked = byId('satisfaction-levels').querySelector<HTMLInputElement>('input:checked');
      if (!checked) return 'followup.needLevel';
      return { v: REPORT_VERSION, kind: 'satisfaction', level: Number(checked.value) as SatisfactionLevel, text: comment.value.trim() };
    },
  }, current, onUpdated);
}

/** Re-labels the faces after a change of language. */
export function relabelFaces(): void {
  for (const level of SATISFACTION_LEVELS) {
    const word = document.querySelector(`label[for="satisfaction-${level}"] .face-word`);
    if (word) word.textContent = t(FACES[level].word);
  }
}

/** Hides and empties the forms (on leaving the case). */
export function resetFollowUp(): void {
  for (const name of ['retaliation', 'meeting', 'satisfaction']) {
    const form = byId<HTMLFormElement>(`${name}-form`);
    form.reset();
    show(form, false);
    show(byId(`${name}-error`), false);
  }
  for (const id of ['retaliation-sent', 'meeting-sent', 'satisfaction-thanks']) show(byId(id), false);
  for (const id of ['retaliation-open', 'meeting-open']) byId(id).setAttribute('aria-expanded', 'false');
}
