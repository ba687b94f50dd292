/**
 * The risk-of-retaliation assessment (ISO 37002 8.3.2): the level is kept in
 * the clear so that the inbox can show high-risk cases; the rationale is
 * sealed like an internal note (team only).
 */
import type { CaseDetail, CaseSummary } from '../../common/api.ts';
import { LIMITS, RISK_LEVELS, type RiskLevel } from '../../common/limits.ts';
import { formatDay, t, type TeamMessageKey } from '../i18n/team.ts';
import { h } from '../lib/dom.ts';
import { teamPost } from '../accounts/api.ts';
import { openTeamOnly, sealTeamOnly } from './notes.ts';
import { requireCaseKeys } from '../accounts/trust.ts';
import { labelled, panel, workForm } from './work-form.ts';

export const riskLabel = (level: RiskLevel) => t(`work.risk.${level}` as TeamMessageKey);

export async function riskPanel(detail: CaseDetail, reload: () => Promise<void>): Promise<HTMLElement> {
  const { risk } = detail;
  const rationaleText = risk ? await openTeamOnly(risk.rationale) : undefined;
  const current = risk
    ? h('div', { id: 'case-risk-current' },
      h('p', {},
        h('strong', { class: `badge risk-${risk.level}`, text: riskLabel(risk.level) }), ' ',
        h('span', { class: 'muted', text: t('work.riskMeta', { by: risk.by, date: formatDay(risk.day, 'medium') }) })),
      h('p', { class: rationaleText === undefined ? 'notice error' : 'note-text', text: rationaleText ?? t('work.noteUnreadable') }))
    : h('p', { id: 'case-risk-current', class: 'muted', text: t('work.riskNone') });
  const select = h('select', { id: 'case-risk-level' },
    ...RISK_LEVELS.map((level) => {
      const option = h('option', { text: riskLabel(level), attrs: { value: level } });
      option.selected = level === (risk?.level ?? 'low');
      return option;
    }));
  const rationale = h('textarea', { id: 'case-risk-rationale', attrs: { rows: '2', maxlength: String(LIMITS.messageChars) } });
  const form = workForm('case-risk-form', 'work.riskSave',
    [...labelled(select, 'work.riskLevel'), ...labelled(rationale, 'work.riskRationale', 'work.riskRationaleHint')],
    async (fail) => {
      const text = rationale.value.trim();
      if (!text) return fail(t('work.riskRationaleEmpty'));
      await requireCaseKeys(detail, detail.noteKeys, { reporter: false });
      const sealed = await sealTeamOnly('risk', text, detail.noteKeys);
      detail.case = await teamPost<CaseSummary>(`/api/cases/${encodeURIComponent(detail.case.id)}/risk`, { level: select.value, rationale: sealed, version: detail.case.version });
      await reload();
    });
  return panel('case-risk-panel', 'work.riskHeading', 'internal', current, form);
}
