/**
 * The case list: urgent ones first, then filtered, searched and sorted
 * (filters.ts, search.ts); overdue deadlines, urgency and high risk marked in
 * words and colour. Only the first PAGE matching rows are drawn ("show
 * more" adds the next), so ten thousand cases list as fast as a hundred.
 */
import type { CaseList, CaseSummary } from '../../common/api.ts';
import { formatDay, t, tr } from '../i18n/team.ts';
import { byId, h, todayDay } from '../lib/dom.ts';
import { teamGet } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { applyFilter, NO_FILTER, renderFilters, type InboxFilter } from './filters.ts';
import { indexMissing, loadIndex, matches, queryTerms, searchText } from './search.ts';
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

/** Rows drawn at first, and added by each "show more". */
export const PAGE = 200;

/** Kept while the page is open, so that coming back from a case shows the same selection. */
let filter: InboxFilter = NO_FILTER;
/** Each showInbox call gets a number; background indexing of an older one stops. */
let shown = 0;

/** The search progress line and the "show more" button, made once next to the table (team.html has the rest). */
function inboxExtras(): { searchStatus: HTMLElement; more: HTMLButtonElement } {
  let searchStatus = document.getElementById('inbox-search-status');
  let more = document.getElementById('inbox-more') as HTMLButtonElement | null;
  if (!searchStatus || !more) {
    searchStatus = h('p', { id: 'inbox-search-status', class: 'muted', attrs: { role: 'status' } });
    more = h('button', { id: 'inbox-more', class: 'btn', text: t('inbox.more'), attrs: { type: 'button' } });
    byId('inbox-status').after(searchStatus);
    byId('case-table').closest('.table-wrap')!.after(more);
  }
  return { searchStatus, more };
}

export async function showInbox(): Promise<void> {
  const status = byId('inbox-status');
  const rows = byId('case-rows');
  const { searchStatus, more } = inboxExtras();
  const mine = ++shown;
  tr(status, 'inbox.loading');
  searchStatus.textContent = '';
  more.hidden = true;
  try {
    const { cases } = await teamGet<CaseList>('/api/cases');
    const today = todayDay();
    let limit = PAGE;
    let matching: CaseSummary[] = [];
    const drawRows = () => {
      rows.replaceChildren(...matching.slice(0, limit).map((c) => row(c, today)));
      more.hidden = matching.length <= limit;
      if (cases.length === 0) tr(status, 'inbox.empty');
      else if (matching.length === cases.length) tr(status, 'inbox.count', { count: cases.length });
      else tr(status, 'work.filtered', { shown: matching.length, count: cases.length });
      // For tests and the bench: what the list on screen was drawn for.
      status.dataset['count'] = String(matching.length);
      status.dataset['query'] = filter.text;
    };
    const draw = () => {
      const terms = queryTerms(filter.text);
      matching = applyFilter(cases, filter, today, (c) => matches(searchText(c.id), terms));
      limit = PAGE;
      drawRows();
    };
    more.onclick = () => {
      limit += PAGE;
      drawRows();
    };
    renderFilters(byId('inbox-filters'), cases, filter, (next) => {
      filter = next;
      draw();
    });
    draw();
    void indexInBackground(cases, mine, () => {
      if (filter.text) draw();
    });
  } catch (error) {
    status.textContent = problem(error);
  }
}

/** Opens the team's index, then decrypts the cases it lacks; redraws a search as results arrive. */
async function indexInBackground(cases: readonly CaseSummary[], mine: number, redraw: () => void): Promise<void> {
  const { searchStatus } = inboxExtras();
  try {
    const key = await loadIndex();
    if (mine !== shown) return;
    if (!key) {
      tr(searchStatus, 'inbox.searchUnavailable');
      return;
    }
    redraw();
    await indexMissing(key, cases.map((c) => c.id), (done, total) => {
      if (mine !== shown) return;
      tr(searchStatus, 'inbox.indexing', { done, total });
      if (done === total) searchStatus.textContent = '';
      redraw();
    }, () => mine === shown && !byId('inbox-view').hidden);
  } catch (error) {
    if (mine === shown) searchStatus.textContent = problem(error);
  }
}
