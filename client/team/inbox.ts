/** The case list: urgent ones first, then newest first; overdue deadlines and urgency marked in words and colour. */
import type { CaseList, CaseSummary } from '../../common/api.ts';
import { formatDay, t, tr } from '../i18n/team.ts';
import { byId, h, todayDay } from '../lib/dom.ts';
import { teamGet } from './api.ts';
import { problem } from './errors.ts';
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
  return h(
    'tr',
    { attrs: { 'data-case-id': c.id } },
    caseCell,
    h('td', { text: c.channel.name }),
    h('td', { text: stageLabel(c.stage) }),
    h('td', { class: 'day', text: formatDay(c.receivedDay, 'medium') }),
    deadlineCell(c.acknowledgeByDay, late.ack, c.acknowledgedDay),
    deadlineCell(c.feedbackByDay, late.feedback, c.closedDay),
  );
}

/** Urgent cases (retaliation reported) first, then newest first. */
export function sortCases(cases: readonly CaseSummary[]): CaseSummary[] {
  return [...cases].sort(
    (a, b) => Number(b.urgent) - Number(a.urgent) || b.receivedDay.localeCompare(a.receivedDay) || b.id.localeCompare(a.id),
  );
}

export async function showInbox(): Promise<void> {
  const status = byId('inbox-status');
  const rows = byId('case-rows');
  tr(status, 'inbox.loading');
  try {
    const { cases } = await teamGet<CaseList>('/api/cases');
    const today = todayDay();
    rows.replaceChildren(...sortCases(cases).map((c) => row(c, today)));
    tr(status, cases.length === 0 ? 'inbox.empty' : 'inbox.count', { count: cases.length });
  } catch (error) {
    status.textContent = problem(error);
  }
}
