/**
 * The team's deadlines for new cases (acknowledge within N days, feedback
 * within M months): shown to everyone under the inbox, changed by
 * administrators within the bounds of Directive 2019/1937 art. 9.
 */
import type { TeamDeadlines } from '../../common/api.ts';
import { DEADLINE_BOUNDS } from '../../common/limits.ts';
import { t } from '../i18n/team.ts';
import { byId, h } from '../lib/dom.ts';
import { teamGet, teamPut } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { session } from '../accounts/keyring.ts';
import { labelled, panel, workForm } from './work-form.ts';

function numberInput(id: string, value: number, bounds: { min: number; max: number }): HTMLInputElement {
  const input = h('input', { id, attrs: { type: 'number', inputmode: 'numeric', min: String(bounds.min), max: String(bounds.max), step: '1' } });
  input.value = String(value);
  return input;
}

export async function showDeadlines(): Promise<void> {
  const container = byId('team-deadlines');
  try {
    const current = await teamGet<TeamDeadlines>('/api/team/deadlines');
    const summary = h('p', { id: 'team-deadlines-current', text: t('work.deadlinesCurrent', { days: current.ackDays, months: current.feedbackMonths }) });
    if (session()?.investigator.role !== 'admin') {
      container.replaceChildren(panel('team-deadlines-panel', 'work.deadlinesHeading', '', summary));
      return;
    }
    const ack = numberInput('team-ack-days', current.ackDays, DEADLINE_BOUNDS.ackDays);
    const feedback = numberInput('team-feedback-months', current.feedbackMonths, DEADLINE_BOUNDS.feedbackMonths);
    const form = workForm('team-deadlines-form', 'work.deadlinesSave',
      [...labelled(ack, 'work.ackDays'), ...labelled(feedback, 'work.feedbackMonths')],
      async (fail) => {
        const body = { ackDays: Number(ack.value), feedbackMonths: Number(feedback.value) };
        const within = (n: number, b: { min: number; max: number }) => Number.isInteger(n) && n >= b.min && n <= b.max;
        if (!within(body.ackDays, DEADLINE_BOUNDS.ackDays) || !within(body.feedbackMonths, DEADLINE_BOUNDS.feedbackMonths)) {
          return fail(t('work.deadlinesBounds'));
        }
        await teamPut<TeamDeadlines>('/api/team/deadlines', body);
        await showDeadlines();
      });
    container.replaceChildren(panel('team-deadlines-panel', 'work.deadlinesHeading', '', summary,
      h('p', { class: 'hint', text: t('work.deadlinesHint') }), form));
  } catch (error) {
    container.textContent = problem(error);
  }
}
