/** The team's work on an open case, under the report and thread: notes, assignment, labels, risk, exclusions. */
import type { CaseDetail, TeamInvestigators } from '../../common/api.ts';
import { byId } from '../lib/dom.ts';
import { teamGet } from '../accounts/api.ts';
import { assignPanel, exclusionsPanel } from './assign.ts';
import { labelsPanel } from './labels.ts';
import { notesPanel } from './notes.ts';
import { riskPanel } from './risk.ts';
import { problem } from '../accounts/errors.ts';

/** `wanted`: whether `detail` is still the case on show (../case-view.ts `showCase`). */
export async function showCaseWork(detail: CaseDetail, reload: () => Promise<void>, wanted: () => boolean = () => true): Promise<void> {
  const container = byId('case-work');
  try {
    const { investigators } = await teamGet<TeamInvestigators>('/api/team/investigators');
    const [notes, risk] = await Promise.all([notesPanel(detail, reload), riskPanel(detail, reload)]);
    if (!wanted()) return;
    container.replaceChildren(
      notes,
      assignPanel(detail, investigators, reload),
      labelsPanel(detail, reload),
      risk,
      exclusionsPanel(detail, investigators, reload),
    );
    // Which version of the case these forms were built for (tests wait on it after a change).
    container.dataset['version'] = String(detail.case.version);
  } catch (error) {
    if (wanted()) container.textContent = problem(error);
  }
}

export function clearCaseWork(): void {
  byId('case-work').replaceChildren();
}
