/**
 * The case list: urgent ones first, then filtered, searched and sorted
 * (filters.ts, search.ts); overdue deadlines, urgency and high risk marked in
 * words and colour. The server answers first with the first PAGE cases in
 * this order (the urgent ones and the newest), then with the whole list,
 * so a team of 100,000 cases sees its newest at once; filters and search
 * work on what has come so far. Only the first PAGE matching rows are drawn
 * ("show more" adds the next), so ten thousand cases list as fast as a hundred.
 */
import type { CaseList, CaseSummary } from '../../common/api.ts';
import { formatDay, t, tr } from '../i18n/team.ts';
import { byId, h, todayDay } from '../lib/dom.ts';
import { teamGet } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { applyFilter, NO_FILTER, renderFilters, type InboxFilter } from './filters.ts';
import { indexMissing, loadIndex, matches, queryTerms, searchText } from './search.ts';
import type { IndexKey } from './index-key.ts';
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
    // First the first page (urgent, then newest: bounded work on the server whatever the team's size), then the rest.
    let list = await teamGet<CaseList>(`/api/cases?first=${PAGE}`);
    if (mine !== shown) return;
    // The search index comes in beside the rest of the list (its own request, after the first page: it may be
    // large), so that searching works on the first page before the rest arrives.
    const key = loadIndex();
    key.catch(() => undefined);
    const today = todayDay();
    let limit = PAGE;
    let matching: CaseSummary[] = [];
    const drawRows = () => {
      const { cases, total, complete } = list;
      rows.replaceChildren(...matching.slice(0, limit).map((c) => row(c, today)));
      more.hidden = matching.length <= limit;
      if (total === 0) tr(status, 'inbox.empty');
      else if (!complete) tr(status, 'inbox.partial', { shown: cases.length, count: total });
      else if (matching.length === cases.length) tr(status, 'inbox.count', { count: total });
      else tr(status, 'work.filtered', { shown: matching.length, count: total });
      // For tests and the bench: what the list on screen was drawn for.
      status.dataset['count'] = String(matching.length);
      status.dataset['total'] = String(total);
      status.dataset['complete'] = String(complete);
      status.dataset['query'] = filter.text;
    };
    const draw = (keepLimit = false) => {
      const terms = queryTerms(filter.text);
      matching = applyFilter(list.cases, filter, today, (c) => matches(searchText(c.id), terms));
      if (!keepLimit) limit = PAGE;
      drawRows();
    };
    more.onclick = () => {
      limit += PAGE;
      drawRows();
    };
    const filters = () => renderFilters(byId('inbox-filters'), list.cases, filter, (next) => {
      filter = next;
      draw();
    });
    filters();
    draw();
    void key.then((k) => {
      if (k && mine === shown && filter.text) draw(true);
    }, () => undefined);
    if (!list.complete) {
      const all = await teamGet<CaseList>('/api/cases');
      if (mine !== shown) return;
      list = all;
      // The filters' choices (labels, assignees) now come from every case; what is being typed stays as it is.
      const typing = keepTyping();
      filters();
      typing();
      draw(true);
    }
    void indexInBackground(key, list.cases, mine, () => {
      if (filter.text) draw(true);
    });
  } catch (error) {
    if (mine === shown) status.textContent = problem(error);
  }
}

/** Saves the search field's text, caret and focus; the function it returns puts them back in the field drawn again. */
function keepTyping(): () => void {
  const old = document.getElementById('filter-search') as HTMLInputElement | null;
  if (!old) return () => undefined;
  const { value, selectionStart, selectionEnd } = old;
  const focused = document.activeElement === old;
  return () => {
    const field = document.getElementById('filter-search') as HTMLInputElement | null;
    if (!field) return;
    field.value = value;
    if (focused) {
      field.focus();
      field.setSelectionRange(selectionStart, selectionEnd);
    }
  };
}

/** Waits for the team's index, then decrypts the cases it lacks; redraws a search as results arrive. */
async function indexInBackground(
  index: Promise<IndexKey | undefined>, cases: readonly CaseSummary[], mine: number, redraw: () => void,
): Promise<void> {
  const { searchStatus } = inboxExtras();
  try {
    const key = await index;
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
