/** Labels the team keeps in the clear on a case: short tags, typed comma-separated, with a warning that they are NOT encrypted. */
import type { CaseDetail, CaseSummary } from '../../common/api.ts';
import { CASE_LABELS } from '../../common/limits.ts';
import { t } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import { teamPost } from '../accounts/api.ts';
import { labelled, panel, workForm } from './work-form.ts';

/** "wages, line 3" → ['wages', 'line 3']: trimmed, distinct, none empty. */
export function parseLabels(text: string): string[] {
  return [...new Set(text.split(',').map((l) => l.trim()).filter(Boolean))];
}

export function labelsPanel(detail: CaseDetail, reload: () => Promise<void>): HTMLElement {
  const input = h('input', { id: 'case-labels', attrs: { type: 'text', autocomplete: 'off', spellcheck: 'false' } });
  input.value = detail.case.labels.join(', ');
  const warning = h('p', { id: 'case-labels-warning', class: 'notice warn', text: t('work.labelsWarning') });
  const form = workForm('case-labels-form', 'work.labelsSave', [warning, ...labelled(input, 'work.labels', 'work.labelsHint')], async (fail) => {
    const labels = parseLabels(input.value);
    if (labels.length > CASE_LABELS.perCase || labels.some((l) => l.length > CASE_LABELS.chars)) {
      return fail(t('work.labelsTooLong', { count: CASE_LABELS.perCase, chars: CASE_LABELS.chars }));
    }
    detail.case = await teamPost<CaseSummary>(`/api/cases/${encodeURIComponent(detail.case.id)}/labels`, { labels, version: detail.case.version });
    await reload();
  });
  return panel('case-labels-panel', 'work.labelsHeading', '', form);
}
