/**
 * Stage names and the moves the UI offers, mirroring server/cases/stages.ts:
 * a received case must be acknowledged first; after that a case moves
 * forward one or more stages; closing needs a reason; nothing leaves
 * `closed`. The server stays the authority (409 `invalid_transition`).
 */
import { STAGES, assertNever, type Stage } from '../../common/limits.ts';
import type { CaseSummary } from '../../common/api.ts';
import { t } from '../i18n/team.ts';

export function nextStages(stage: Stage): readonly Stage[] {
  switch (stage) {
    case 'received':
      return ['acknowledged'];
    case 'acknowledged':
    case 'assessing':
    case 'investigating':
    case 'concluded':
      return STAGES.slice(STAGES.indexOf(stage) + 1);
    case 'closed':
      return [];
    default:
      return assertNever(stage);
  }
}

export function stageLabel(stage: Stage): string {
  return t(`workflow.${stage}`);
}

/** Overdue deadlines of a case on `today` ('YYYY-MM-DD'; days compare as strings). */
export function overdue(c: CaseSummary, today: string): { ack: boolean; feedback: boolean } {
  const open = c.closedDay === null && STAGES.indexOf(c.stage) < STAGES.indexOf('concluded');
  return {
    ack: c.acknowledgedDay === null && today > c.acknowledgeByDay,
    feedback: open && today > c.feedbackByDay,
  };
}

/** The short id shown in tables and headings. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
