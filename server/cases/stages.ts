/**
 * Which stage changes are allowed. Stages only move forward along STAGES,
 * one or more steps at a time, except that a case just received must be
 * acknowledged first (the reporter is owed that date); closing needs a
 * reason and an outcome (OUTCOMES, in the clear); nothing leaves `closed`.
 */
import { STAGES, assertNever, type Outcome, type Stage } from '../../common/limits.ts';
import { HttpError } from '../errors.ts';

export interface StageEffects {
  acknowledgedDay: string | null;
  closedDay: string | null;
  /** Only set when closing. */
  outcome: Outcome | null;
}

const rank = (stage: Stage) => STAGES.indexOf(stage);

export function isAllowedTransition(from: Stage, to: Stage): boolean {
  switch (from) {
    case 'received':
      return to === 'acknowledged';
    case 'acknowledged':
    case 'assessing':
    case 'investigating':
    case 'concluded':
      return rank(to) > rank(from);
    case 'closed':
      return false;
    default:
      return assertNever(from);
  }
}

/**
 * Validates a change and says which dates it sets. Throws 409
 * `invalid_transition`, or 400 `reason_required` / `outcome_required`.
 */
export function planStageChange(
  current: { stage: Stage; acknowledgedDay: string | null; closedDay: string | null },
  to: Stage,
  reason: string | null,
  today: string,
  outcome: Outcome | null = null,
): StageEffects {
  if (!isAllowedTransition(current.stage, to)) {
    throw new HttpError(409, 'invalid_transition', `a case cannot go from ${current.stage} to ${to}`);
  }
  if (to === 'closed' && !reason) {
    throw new HttpError(400, 'reason_required', 'closing a case needs a reason');
  }
  if (to === 'closed' && !outcome) {
    throw new HttpError(400, 'outcome_required', 'closing a case needs an outcome');
  }
  return {
    acknowledgedDay: to === 'acknowledged' ? today : current.acknowledgedDay,
    closedDay: to === 'closed' ? today : current.closedDay,
    outcome: to === 'closed' ? outcome : null,
  };
}
