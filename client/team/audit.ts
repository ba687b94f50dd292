/**
 * The audit trail (#/audit): who did what and when, newest first, page by
 * page (an administrator sees everything; an investigator their team's cases
 * and their own actions), and a button that asks the server to recompute the
 * hash chain. Events carry ids and actions, never content.
 *
 * Test hooks (ids): #audit-view, #audit-heading, #audit-rows (tr[data-seq]),
 * #audit-more, #audit-verify, #audit-verify-result (.ok / .error), #audit-status.
 */
import type { AuditChainCheck, AuditEventView, AuditPage } from '../../common/api.ts';
import { formatDay, t, teamI18n, tr, type TeamMessageKey } from '../i18n/team.ts';
import { teamEn } from '../i18n/team.en.ts';
import { byId, h, show } from '../lib/dom.ts';
import { teamGet } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { shortId, stageLabel } from './stages.ts';
import { STAGES, type Stage } from '../../common/limits.ts';

const isStage = (value: string): value is Stage => (STAGES as readonly string[]).includes(value);

const PAGE = 100;
let nextBefore: number | null = null;

/** An action (dots) → the catalog key audit.action.<action with underscores>, or the action itself for one it does not know. */
function actionLabel(action: string): string {
  const key = `audit.action.${action.replaceAll('.', '_')}`;
  return Object.hasOwn(teamEn, key) ? t(key as TeamMessageKey) : action;
}

function whenText(e: AuditEventView): string {
  if (e.at === null) return formatDay(e.day, 'medium');
  return new Intl.DateTimeFormat(teamI18n.lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(e.at));
}

function whoText(e: AuditEventView): string {
  if (e.actor === 'reporter') return t('audit.actor.reporter');
  if (e.actor === 'system') return t('audit.actor.system');
  return e.actorName ?? t('audit.actor.unknown');
}

/** A detail's name in the investigator's language, or as the server wrote it when the catalog has none. */
function detailName(name: string): string {
  const key = `auditDetail.${name}`;
  return Object.hasOwn(teamEn, key) ? t(key as TeamMessageKey) : name;
}

function detailValue(name: string, value: unknown): string {
  if (typeof value === 'boolean') return t(value ? 'auditDetail.yes' : 'auditDetail.no');
  if ((name === 'from' || name === 'to') && typeof value === 'string' && isStage(value)) return stageLabel(value);
  return String(value);
}

function detailText(e: AuditEventView): string {
  return Object.entries(e.detail)
    .map(([k, v]) => `${detailName(k)}: ${detailValue(k, v)}`)
    .join(t('auditDetail.separator'));
}

function row(e: AuditEventView): HTMLTableRowElement {
  const caseCell = e.caseId
    ? h('a', { text: shortId(e.caseId), attrs: { href: `#/case/${encodeURIComponent(e.caseId)}` } })
    : h('span', { class: 'muted', text: '—' });
  const tr = h(
    'tr',
    {},
    h('td', { text: whenText(e) }),
    h('td', { text: whoText(e) }),
    h('td', {}, h('span', { text: actionLabel(e.action) }), detailText(e) && h('span', { class: 'muted audit-detail', text: detailText(e) })),
    h('td', {}, caseCell),
    h('td', { class: 'muted', text: e.seq === null ? t('audit.pending') : `#${e.seq}` }),
  );
  tr.dataset.seq = e.seq === null ? 'pending' : String(e.seq);
  return tr;
}

async function loadPage(append: boolean): Promise<void> {
  const status = byId('audit-status');
  tr(status, 'audit.loading');
  try {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (append && nextBefore !== null) query.set('before', String(nextBefore));
    const page = await teamGet<AuditPage>(`/api/audit?${query.toString()}`);
    const rows = byId('audit-rows');
    if (!append) rows.replaceChildren();
    rows.append(...page.events.map(row));
    nextBefore = page.nextBefore;
    show(byId('audit-more'), nextBefore !== null);
    if (rows.childElementCount === 0) tr(status, 'audit.empty');
    else status.textContent = '';
  } catch (error) {
    status.textContent = problem(error);
  }
}

async function verifyChain(): Promise<void> {
  const result = byId('audit-verify-result');
  result.className = 'notice';
  tr(result, 'audit.verifying');
  show(result);
  try {
    const check = await teamGet<AuditChainCheck>('/api/audit/verify');
    if (check.ok) {
      result.className = 'notice ok';
      tr(result, 'audit.verifyOk', { count: check.checked });
    } else {
      result.className = 'notice error';
      tr(result, 'audit.verifyBroken', { seq: check.brokenAt ?? 0 });
    }
  } catch (error) {
    result.className = 'notice error';
    result.textContent = problem(error);
  }
}

export async function showAudit(): Promise<void> {
  nextBefore = null;
  show(byId('audit-verify-result'), false);
  await loadPage(false);
}

export function clearAudit(): void {
  byId('audit-rows').replaceChildren();
  show(byId('audit-verify-result'), false);
}

export function mountAudit(): void {
  byId('audit-more').addEventListener('click', () => void loadPage(true));
  byId('audit-verify').addEventListener('click', () => void verifyChain());
}
