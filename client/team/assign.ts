/** Assigning a case to an investigator of the team (or nobody), and, for administrators, excluding one for a conflict of interest. */
import type { CaseDetail, CaseSummary, TeamInvestigators } from '../../common/api.ts';
import { formatDay, t } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import { teamPost } from '../accounts/api.ts';
import { session } from '../accounts/keyring.ts';
import { labelled, panel, workForm } from './work-form.ts';

type Colleague = TeamInvestigators['investigators'][number];

function option(value: string, text: string, selected: boolean): HTMLOptionElement {
  const el = h('option', { text, attrs: { value } });
  el.selected = selected;
  return el;
}

export function assignPanel(detail: CaseDetail, team: readonly Colleague[], reload: () => Promise<void>): HTMLElement {
  const excluded = new Set(detail.exclusions.map((x) => x.investigatorId));
  const current = detail.case.assignee?.id ?? '';
  const select = h('select', { id: 'case-assignee' },
    option('', t('work.unassigned'), current === ''),
    ...team.filter((c) => !excluded.has(c.id)).map((c) => option(c.id, c.displayName, c.id === current)));
  const form = workForm('case-assign-form', 'work.assignSave', labelled(select, 'work.assignee'), async () => {
    detail.case = await teamPost<CaseSummary>(`/api/cases/${encodeURIComponent(detail.case.id)}/assign`, {
      investigatorId: select.value || null, version: detail.case.version,
    });
    await reload();
  });
  return panel('case-assign-panel', 'work.assignHeading', '', form);
}

export function exclusionsPanel(detail: CaseDetail, team: readonly Colleague[], reload: () => Promise<void>): HTMLElement {
  const me = session()?.investigator;
  const excluded = new Set(detail.exclusions.map((x) => x.investigatorId));
  const list = detail.exclusions.length
    ? h('ul', { id: 'case-exclusions' },
      ...detail.exclusions.map((x) => h('li', { text: t('work.excludedItem', { name: x.displayName, date: formatDay(x.day, 'medium') }) })))
    : h('p', { id: 'case-exclusions', class: 'muted', text: t('work.excludedNone') });
  const children: Array<Node> = [h('p', { class: 'hint', text: t('work.excludeIntro') }), list];
  const candidates = team.filter((c) => c.id !== me?.id && !excluded.has(c.id));
  if (me?.role === 'admin' && candidates.length > 0) {
    const select = h('select', { id: 'case-exclude' }, ...candidates.map((c, i) => option(c.id, c.displayName, i === 0)));
    children.push(workForm('case-exclude-form', 'work.excludeSubmit', labelled(select, 'work.excludeWho'), async () => {
      await teamPost(`/api/cases/${encodeURIComponent(detail.case.id)}/exclusions`, { investigatorId: select.value });
      await reload();
    }));
  }
  return panel('case-exclusions-panel', 'work.excludeHeading', '', ...children);
}
