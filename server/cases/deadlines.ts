/**
 * Deadlines of a case (EU Directive 2019/1937 art. 9): acknowledge within
 * the team's ack days (7) of receipt — fixed at intake — and give feedback
 * within its feedback months (3) of the acknowledgement, or, while not yet
 * acknowledged, of the day acknowledgement was due.
 */
import type { CaseWorkflow } from '../../db/index.ts';
import { addMonths } from '../clock.ts';

export function feedbackByDay(workflow: Pick<CaseWorkflow, 'acknowledgedDay' | 'acknowledgeByDay' | 'feedbackMonths'>): string {
  return addMonths(workflow.acknowledgedDay ?? workflow.acknowledgeByDay, workflow.feedbackMonths);
}
