/**
 * Filtering and sorting the inbox in the browser, on plain arrays (tens of
 * thousands of cases in a few milliseconds): by words of the decrypted
 * content (search.ts), stage, label, assignee, overdue, urgent and high risk;
 * sorted by receipt (newest first) or by the next deadline. Urgent cases stay
 * on top in either order.
 */
import type { CaseSummary } from '../../common/api.ts';
import { STAGES, type Stage } from '../../common/limits.ts';
import { t } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import { overdue, stageLabel } from './stages.ts';

export interface InboxFilter {
  /** Words to find in the decrypted content (search.ts); '' for all. */
  text: string;
  stage: Stage | '';
  label: string;
  /** '' anyone, '-' nobody, else an investigator id. */
  assignee: string;
  overdue: boolean;
  urgent: boolean;
  highRisk: boolean;
  sort: 'received' | 'deadline';
}

export const NO_FILTER: InboxFilter = { text: '', stage: '', label: '', assignee: '', overdue: false, urgent: false, highRisk: false, sort: 'received' };

/** The next deadline the team still has to meet; closed cases have none and sort last. */
export function nextDeadline(c: CaseSummary): string {
  if (c.closedDay) return '9999-12-31';
  return c.acknowledgedDay ? c.feedbackByDay : c.acknowledgeByDay;
}

/** ISO days and ids compare correctly as plain strings, much faster than localeCompare. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The cases to show, in order. `found` says whether a case's content matches
 * `f.text` (search.ts); without it, the text is ignored.
 */
export function applyFilter(
  cases: readonly CaseSummary[], f: InboxFilter, today: string, found?: (c: CaseSummary) => boolean,
): CaseSummary[] {
  const kept = cases.filter((c) => {
    const late = overdue(c, today);
    return (
      (!f.stage || c.stage === f.stage) &&
      (!f.label || c.labels.includes(f.label)) &&
      (!f.assignee || (f.assignee === '-' ? c.assignee === null : c.assignee?.id === f.assignee)) &&
      (!f.overdue || late.ack || late.feedback) &&
      (!f.urgent || c.urgent) &&
      (!f.highRisk || c.riskLevel === 'high') &&
      (!f.text || !found || found(c))
    );
  });
  const order =
    f.sort === 'deadline'
      ? (a: CaseSummary, b: CaseSummary) => cmp(nextDeadline(a), nextDeadline(b))
      : (a: CaseSummary, b: CaseSummary) => cmp(b.receivedDay, a.receivedDay);
  return kept.sort((a, b) => Number(b.urgent) - Number(a.urgent) || order(a, b) || cmp(b.id, a.id));
}

function select(id: string, label: string, value: string, options: Array<readonly [string, string]>): HTMLElement[] {
  const el = h('select', { id }, ...options.map(([v, text]) => h('option', { text, attrs: { value: v } })));
  el.value = value;
  return [h('label', { text: label, attrs: { for: id } }), el];
}

function check(id: string, label: string, checked: boolean): HTMLElement {
  const input = h('input', { id, attrs: { type: 'checkbox' } });
  input.checked = checked;
  return h('label', { class: 'check', attrs: { for: id } }, input, h('span', { text: label }));
}

/** Typing in the search field redraws this long after the last key. */
const SEARCH_DEBOUNCE_MS = 200;

/** Draws the filter controls for these cases; calls `changed` with the new filter on every change. */
export function renderFilters(container: HTMLElement, cases: readonly CaseSummary[], f: InboxFilter, changed: (f: InboxFilter) => void): void {
  const labels = [...new Set(cases.flatMap((c) => c.labels))].sort();
  const assignees = new Map(cases.flatMap((c) => (c.assignee ? [[c.assignee.id, c.assignee.displayName] as const] : [])));
  // type=text (styled like every text field), announced as a search box.
  const search = h('input', { id: 'filter-search', attrs: { type: 'text', role: 'searchbox', enterkeyhint: 'search', autocomplete: 'off', spellcheck: 'false' } });
  search.value = f.text;
  container.replaceChildren(
    h('div', { class: 'filter search' }, h('label', { text: t('inbox.search'), attrs: { for: 'filter-search' } }), search),
    h('div', { class: 'filter' }, ...select('filter-stage', t('work.filterStage'), f.stage, [['', t('work.filterAny')], ...STAGES.map((s) => [s, stageLabel(s)] as const)])),
    h('div', { class: 'filter' }, ...select('filter-label', t('work.filterLabel'), f.label, [['', t('work.filterAny')], ...labels.map((l) => [l, l] as const)])),
    h('div', { class: 'filter' }, ...select('filter-assignee', t('work.filterAssignee'), f.assignee, [
      ['', t('work.filterAny')], ['-', t('work.unassigned')], ...[...assignees].map(([id, name]) => [id, name] as const),
    ])),
    h('div', { class: 'filter' }, ...select('filter-sort', t('work.sort'), f.sort, [['received', t('work.sortReceived')], ['deadline', t('work.sortDeadline')]])),
    h('div', { class: 'filter checks' },
      check('filter-overdue', t('work.filterOverdue'), f.overdue),
      check('filter-urgent', t('work.filterUrgent'), f.urgent),
      check('filter-risk', t('work.filterHighRisk'), f.highRisk)),
  );
  // A property, not a listener: drawing again replaces the handler instead of adding one.
  let typing: ReturnType<typeof setTimeout> | undefined;
  const read = () => {
    const value = (id: string) => (container.querySelector<HTMLSelectElement>(`#${id}`)?.value ?? '');
    const checked = (id: string) => container.querySelector<HTMLInputElement>(`#${id}`)?.checked ?? false;
    clearTimeout(typing);
    changed({
      text: search.value, stage: value('filter-stage') as Stage | '', label: value('filter-label'), assignee: value('filter-assignee'),
      sort: value('filter-sort') === 'deadline' ? 'deadline' : 'received',
      overdue: checked('filter-overdue'), urgent: checked('filter-urgent'), highRisk: checked('filter-risk'),
    });
  };
  container.onchange = read;
  search.oninput = () => {
    clearTimeout(typing);
    typing = setTimeout(read, SEARCH_DEBOUNCE_MS);
  };
}
