/**
 * One case: decrypts the report and the thread with the keyring's key and
 * shows them with the deadlines and the history. Plaintext goes into the DOM
 * only through textContent.
 */
import type { CaseDetail } from '../../common/api.ts';
import type { ReportContent } from '../../common/report.ts';
import * as crypto from '../../crypto/index.ts';
import { categoryLabel } from './category-label.ts';
import { formatDay, t, teamI18n, tr, type TeamMessageKey } from '../i18n/team.ts';
import { ApiError } from '../lib/api.ts';
import { byId, h, show, todayDay } from '../lib/dom.ts';
import { renderFields, renderThread } from '../lib/render.ts';
import { openReport, openThread, type OpenedMessage } from '../lib/thread.ts';
import { teamGet } from '../accounts/api.ts';
import { messageAttachments, renderCaseAttachments } from './case-attachments.ts';
import { problem } from '../accounts/errors.ts';
import { mountCaseExport } from './export.ts';
import { rememberReport } from '../accounts/trust.ts';
import { indexOpened } from './search.ts';
import { teamDecorator } from './kinds.ts';
import { withKey } from '../accounts/keyring.ts';
import { overdue, shortId, stageLabel } from './stages.ts';
import { flagZawgyi } from './zawgyi-flag.ts';

/** Who moved a case: a person's name, or the words the server uses when nobody did ('reporter', 'system'; server/cases/presenter.ts). */
function historyBy(by: string): string {
  if (by === 'reporter') return t('audit.actor.reporter');
  if (by === 'system') return t('audit.actor.system');
  return by;
}

/** The form's language named in the investigator's language ("越南语" for vi), or its code if the browser cannot name it. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([teamI18n.lang()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code; // not a language tag
  }
}

function renderReport(report: ReportContent | undefined): void {
  const list = byId('case-report');
  if (!report) return void list.replaceChildren(h('p', { class: 'notice error', text: t('case.unreadable') }));
  const rows: Array<readonly [TeamMessageKey, string]> = [
    ['case.field.category', categoryLabel(report.category)],
    ['case.field.what', report.what],
    ['case.field.when', report.when],
    ['case.field.where', report.where],
    ['case.field.ongoing', t(`case.ongoing.${report.ongoing}`)],
    ['case.field.involved', report.involved],
    ['case.field.wish', report.wish],
    ['case.field.contact', report.contact],
    ['case.field.lang', languageName(report.lang)],
  ];
  if (report.receivedVia) rows.push(['case.field.receivedVia', t(`onBehalf.mode.${report.receivedVia}`)]);
  renderFields(list, rows.map(([label, value]) => [t(label), value] as const), t('case.empty'));
}

function showThread(caseId: string, messages: OpenedMessage[]): void {
  const decorate = teamDecorator(messages);
  renderThread(byId('case-thread'), messages, {
    empty: t('case.noMessages'),
    unreadable: t('case.messageUnreadable'),
    meta: (m) => `${t(m.from === 'reporter' ? 'case.fromReporter' : 'case.fromTeam')} · ${formatDay(m.day, 'medium')}`,
    decorate: (item, m) => {
      decorate(item, m);
      const files = messageAttachments(caseId, m);
      if (files) item.append(files);
    },
  });
}

function renderSummary(detail: CaseDetail): void {
  const c = detail.case;
  const late = overdue(c, todayDay());
  tr(byId('case-heading'), 'case.heading', { id: shortId(c.id) });
  tr(byId('case-meta'), 'case.meta', { channel: c.channel.name, stage: stageLabel(c.stage) });
  const urgent = byId('case-urgent');
  if (c.urgentDay) tr(urgent, 'case.urgent', { date: formatDay(c.urgentDay) });
  show(urgent, c.urgent);
  const item = (text: string, isLate = false) =>
    h('li', { class: isLate ? 'overdue' : '', text }, isLate && ' ', isLate && h('strong', { class: 'badge danger', text: t('case.overdue') }));
  byId('case-deadlines').replaceChildren(
    item(t('case.received', { date: formatDay(c.receivedDay) })),
    c.acknowledgedDay
      ? item(t('case.ackOn', { date: formatDay(c.acknowledgedDay) }))
      : item(t('case.ackBy', { date: formatDay(c.acknowledgeByDay) }), late.ack),
    c.closedDay ? item(t('case.closedOn', { date: formatDay(c.closedDay) })) : item(t('case.feedbackBy', { date: formatDay(c.feedbackByDay) }), late.feedback),
  );
  if (c.outcome) byId('case-deadlines').append(item(t('work.outcomeShown', { outcome: t(`work.outcome.${c.outcome}` as TeamMessageKey) })));
  byId('case-history').replaceChildren(
    ...detail.history.map((entry) =>
      h(
        'li',
        {},
        h('span', { text: t('case.historyItem', { date: formatDay(entry.day, 'medium'), stage: stageLabel(entry.stage), by: historyBy(entry.by) }) }),
        entry.reason && h('p', { class: 'muted', text: t('case.historyReason', { reason: entry.reason }) }),
      ),
    ),
  );
}

/**
 * Fetches, decrypts and shows a case; returns it (for the reply and stage forms) or undefined.
 * `wanted` says whether it is still the case to show: once another has been opened, this one draws
 * nothing more, however late its answer (its report beside the other's notes, or its replies sent
 * from the other's page).
 */
export async function showCase(id: string, wanted: () => boolean = () => true): Promise<CaseDetail | undefined> {
  const status = byId('case-status');
  tr(status, 'case.loading');
  for (const list of ['case-report', 'case-thread', 'case-history', 'case-deadlines']) byId(list).replaceChildren();
  try {
    const detail = await teamGet<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`);
    if (!wanted()) return undefined;
    renderSummary(detail);
    const [report, messages] = await withKey((key) =>
      Promise.all([openReport(crypto, key, detail.report), openThread(crypto, key, detail.messages)]),
    );
    if (!wanted()) return undefined;
    renderReport(report);
    rememberReport(detail, report); // its pins may vouch for other teams' keys of this case (./trust.ts)
    if (report) void indexOpened(detail.case.id, report).catch(() => undefined); // search finds it at once
    renderCaseAttachments(detail, report);
    showThread(detail.case.id, messages);
    // Burmese typed in Zawgyi shown as Unicode, flagged, the original behind the flag (the detector loads only if a text has Myanmar letters).
    void Promise.all([flagZawgyi(byId('case-report')), flagZawgyi(byId('case-thread'))]).catch(() => undefined);
    mountCaseExport(detail);
    status.textContent = '';
    return detail;
  } catch (error) {
    if (!wanted()) return undefined;
    if (error instanceof ApiError && error.status === 404) tr(status, 'case.notFound');
    else status.textContent = problem(error);
    return undefined;
  }
}
