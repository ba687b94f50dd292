/** The case list: urgent ones first, then filtered and sorted (filters.ts); overdue deadlines, urgency and high risk marked in words and colour. */
import type { CaseList, CaseSummary } from '../../common/api.ts';
import { formatDay, t, tr } from '../i18n/team.ts';
import { byId, h, todayDay } from '../lib/dom.ts';
import { teamGet } from './api.ts';
import { problem } from './errors.ts';
import { applyFilter, NO_FILTER, renderFilters, type InboxFilter } from './filters.ts';
import { overdue, shortId, stageLabel } from './stages.ts';

function deadlineCell(day: string, late: boolean, doneDay: string | null): HTMLTableCellElement {
  if (doneDay) return h('td', { class: 'day muted', text: t('inbox.done', { date: formatDay(doneDay, 'medium') }) });
  const cell = h('td', { class: late ? 'day overdue' : 'day', text: formatDay(day, 'medium') });
  if (late) cell.append(' ', h('strong', { class: 'badge danger', text: t('inbox.overdue') }));
  return cell;
}

function row(c: CaseSummary, today: string): HTMLTableRowElement {
  const late = overdue(c, today);
  const link = h('a', { text: shortId(c.id), attrs: { href: `#/case/${encodeURIComponent(c.id)}` } });
  const caseCell = h('th', { attrs: { scope: 'row' } }, link);
  if (c.urgent) caseCell.append(' ', h('strong', { class: 'badge danger urgent', text: t('inbox.urgent') }));
  if (c.awaitingReply) caseCell.append(' ', h('span', { class: 'badge info', text: t('inbox.awaiting') }));
  if (c.riskLevel === 'high') caseCell.append(' ', h('strong', { class: 'badge risk-high', text: t('work.inboxHighRisk') }));
  return h(
    'tr',
    { attrs: { 'data-case-id': c.id } },
    caseCell,
    h('td', { text: c.channel.name }),
    h('td', { text: stageLabel(c.stage) }),
    h('td', { class: 'day', text: formatDay(c.receivedDay, 'medium') }),
    deadlineCell(c.acknowledgeByDay, late.ack, c.acknowledgedDay),
    deadlineCell(c.feedbackByDay, late.feedback, c.closedDay),
    h('td', { class: c.assignee ? 'assignee' : 'assignee muted', text: c.assignee?.displayName ?? t('work.unassigned') }),
    h('td', { class: 'labels' }, ...c.labels.map((l) => h('span', { class: 'tag', text: l }))),
  );
}

/** Kept while the page is open, so that coming back from a case shows the same selection. */
let filter: InboxFilter = NO_FILTER;

export async function showInbox(): Promise<void> {
  const status = byId('inbox-status');
  const rows = byId('case-rows');
  tr(status, 'inbox.loading');
  try {
    const { cases } = await teamGet<CaseList>('/api/cases');
    const today = todayDay();
    const draw = () => {
      const shown = applyFilter(cases, filter, today);
      rows.replaceChildren(...shown.map((c) => row(c, today)));
      if (cases.length === 0) tr(status, 'inbox.empty');
      else if (shown.length === cases.length) tr(status, 'inbox.count', { count: cases.length });
      else tr(status, 'work.filtered', { shown: shown.length, count: cases.length });
    };
    renderFilters(byId('inbox-filters'), cases, filter, (next) => {
      filter = next;
      draw();
    });
    draw();
  } catch (error) {
    status.textContent = problem(error);
  }
}
