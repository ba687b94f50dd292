/**
 * The small forms of the team's case work (notes, assignment, labels, risk,
 * exclusions): a titled panel, one form with a submit button, a status line
 * and an error line. A 409 from the server (a colleague changed the case
 * first) is shown as such; the case is then reloaded by the caller.
 */
import { t, type TeamMessageKey } from '../i18n/team.ts';
import { ApiError } from '../lib/api.ts';
import { h, setBusy, show } from '../lib/dom.ts';
import { problem } from '../accounts/errors.ts';
import { showProblem } from '../accounts/trust.ts';

type Child = Node | string | null | undefined | false;

export function panel(id: string, heading: TeamMessageKey, className: string, ...children: Child[]): HTMLElement {
  return h('section', { id, class: `work-panel ${className}`, attrs: { 'aria-labelledby': `${id}-heading` } },
    h('h2', { id: `${id}-heading`, text: t(heading) }), ...children);
}

/** A form whose submit runs `action`; `action` returns false to stop without a request (it showed why). */
export function workForm(id: string, submit: TeamMessageKey, fields: Child[], action: (fail: (text: string) => void) => Promise<void>): HTMLFormElement {
  const status = h('p', { id: `${id}-status`, class: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  const error = h('p', { id: `${id}-error`, class: 'notice error', attrs: { role: 'alert' } });
  show(error, false);
  const fail = (text: string) => {
    error.textContent = text;
    show(error);
  };
  const form = h('form', { id, class: 'field', attrs: { novalidate: '' } },
    ...fields, h('button', { id: `${id}-submit`, class: 'btn', text: t(submit), attrs: { type: 'submit' } }), status, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(error, false);
    setBusy(form, true);
    status.textContent = t('work.saving');
    try {
      await action(fail);
      status.textContent = '';
    } catch (failure) {
      status.textContent = '';
      showProblem(error, failure, (f) => (f instanceof ApiError && f.code === 'conflict' ? t('work.conflict') : problem(f)));
    } finally {
      setBusy(form, false);
    }
  });
  return form;
}

/** A label with its control. */
export function labelled(control: HTMLElement & { id: string }, text: TeamMessageKey, hint?: TeamMessageKey): Child[] {
  const label = h('label', { text: t(text), attrs: { for: control.id } });
  if (!hint) return [label, control];
  const hintEl = h('p', { id: `${control.id}-hint`, class: 'hint', text: t(hint) });
  control.setAttribute('aria-describedby', hintEl.id);
  return [label, hintEl, control];
}
