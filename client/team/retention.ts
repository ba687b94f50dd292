/**
 * Retention in the workspace (server/retention/routes.ts):
 * - under the inbox, how long the team keeps closed cases (administrators
 *   change it, within RETENTION_DAYS);
 * - in the case view, whether the case is on legal hold, from which day it is
 *   deleted otherwise, and for administrators the form to set or lift a hold
 *   — the reason is clear text the server keeps, so the form warns: no report
 *   details;
 * - in the inbox, a "Legal hold" badge on the rows of held cases.
 */
import type { CaseDetail } from '../../common/api.ts';
import { LEGAL_HOLD_REASON_CHARS, RETENTION_DAYS } from '../../common/limits.ts';
import type { CaseRetention, TeamLegalHolds, TeamRetention } from '../../common/retention.ts';
import { formatDay, t } from '../i18n/team.ts';
import { byId, h } from '../lib/dom.ts';
import { teamGet, teamPost, teamPut } from '../accounts/api.ts';
import { problem } from '../accounts/errors.ts';
import { isAdmin } from '../accounts/keyring.ts';
import { labelled, panel, workForm } from './work-form.ts';


export async function showRetention(): Promise<void> {
  const container = byId('team-retention');
  try {
    const { retentionDays } = await teamGet<TeamRetention>('/api/team/retention');
    const summary = h('p', { id: 'team-retention-current', text: t('retention.current', { days: retentionDays }) });
    const hint = h('p', { class: 'hint', text: t('retention.hint') });
    if (!isAdmin()) return void container.replaceChildren(panel('team-retention-panel', 'retention.heading', '', summary, hint));
    const input = h('input', {
      id: 'team-retention-days',
      attrs: { type: 'number', inputmode: 'numeric', min: String(RETENTION_DAYS.min), max: String(RETENTION_DAYS.max), step: '1' },
    });
    input.value = String(retentionDays);
    const form = workForm('team-retention-form', 'retention.save', labelled(input, 'retention.days'), async (fail) => {
      const days = Number(input.value);
      if (!Number.isInteger(days) || days < RETENTION_DAYS.min || days > RETENTION_DAYS.max) {
        return fail(t('retention.bounds', { min: RETENTION_DAYS.min, max: RETENTION_DAYS.max }));
      }
      await teamPut<TeamRetention>('/api/team/retention', { retentionDays: days });
      await showRetention();
    });
    container.replaceChildren(panel('team-retention-panel', 'retention.heading', '', summary, hint, form));
  } catch (error) {
    container.textContent = problem(error);
  }
}

let held = new Set<string>();

function markRow(row: Element): void {
  const id = row.getAttribute('data-case-id');
  const cell = row.querySelector('th');
  if (!id || !cell || !held.has(id) || cell.querySelector('.legal-hold')) return;
  cell.append(' ', h('span', { class: 'badge info legal-hold', text: t('retention.badge') }));
}

/** Fetches the team's held cases and marks their inbox rows, now and whenever the inbox redraws. */
export async function showHeldMarks(): Promise<void> {
  try {
    held = new Set((await teamGet<TeamLegalHolds>('/api/team/legal-holds')).caseIds);
  } catch {
    held = new Set(); // the inbox still works; only the badge is missing
  }
  byId('case-rows').querySelectorAll('tr[data-case-id]').forEach(markRow);
}

/** Once at start: rows the inbox draws later get their badge too. */
export function mountHeldMarks(): void {
  new MutationObserver((changes) => {
    for (const change of changes) change.addedNodes.forEach((node) => node instanceof Element && markRow(node));
  }).observe(byId('case-rows'), { childList: true });
}

function holdForm(caseId: string, onDone: () => Promise<void>): HTMLFormElement {
  const reason = h('input', { id: 'case-hold-reason', attrs: { type: 'text', maxlength: String(LEGAL_HOLD_REASON_CHARS), autocomplete: 'off' } });
  return workForm('case-hold-form', 'retention.holdSet', labelled(reason, 'retention.holdReason', 'retention.holdWarning'), async (fail) => {
    if (reason.value.trim().length < 3) return fail(t('retention.holdReasonMissing'));
    await teamPost<CaseRetention>(`/api/cases/${encodeURIComponent(caseId)}/legal-hold`, { reason: reason.value.trim() });
    await onDone();
  });
}

/** The case view's retention panel. */
/** `wanted`: whether `detail` is still the case on show (./case-view.ts `showCase`). */
export async function showCaseRetention(detail: CaseDetail, wanted: () => boolean = () => true): Promise<void> {
  const container = byId('case-retention');
  const id = detail.case.id;
  const reload = () => showCaseRetention(detail, wanted);
  try {
    const r = await teamGet<CaseRetention>(`/api/cases/${encodeURIComponent(id)}/retention`);
    if (!wanted()) return;
    const status = r.legalHold
      ? h('p', { id: 'case-hold-status', class: 'notice legal-hold', text: t('retention.onHold', {
          date: formatDay(r.legalHold.setDay), by: r.legalHold.setByName ?? t('retention.someone'), reason: r.legalHold.reason }) })
      : h('p', { id: 'case-hold-status', text: r.purgeFromDay
          ? t('retention.deletedFrom', { date: formatDay(r.purgeFromDay), days: r.keepDays })
          : t('retention.keptAfterClosing', { days: r.keepDays }) });
    let control: HTMLElement | null = null;
    if (isAdmin() && r.legalHold) {
      control = workForm('case-hold-lift', 'retention.holdLift', [], async () => {
        await teamPost<CaseRetention>(`/api/cases/${encodeURIComponent(id)}/legal-hold/lift`, {});
        await reload();
      });
    } else if (isAdmin()) {
      control = holdForm(id, reload);
    }
    container.replaceChildren(panel('case-retention-panel', 'retention.caseHeading', '', status, control));
  } catch (error) {
    if (wanted()) container.textContent = problem(error);
  }
}

export function clearRetention(): void {
  for (const id of ['case-retention', 'team-retention']) byId(id).replaceChildren();
  held = new Set();
}
