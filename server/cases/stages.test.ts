import { describe, expect, it } from 'vitest';
import { STAGES, type Stage } from '../../common/limits.ts';
import { HttpError } from '../errors.ts';
import { isAllowedTransition, planStageChange } from './stages.ts';
import { feedbackByDay } from './deadlines.ts';

const allowed: Record<Stage, Stage[]> = {
  received: ['acknowledged'],
  acknowledged: ['assessing', 'investigating', 'concluded', 'closed'],
  assessing: ['investigating', 'concluded', 'closed'],
  investigating: ['concluded', 'closed'],
  concluded: ['closed'],
  closed: [],
};

describe('stage transitions', () => {
  for (const from of STAGES) {
    for (const to of STAGES) {
      const expected = allowed[from].includes(to);
      it(`${expected ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(isAllowedTransition(from, to)).toBe(expected);
      });
    }
  }

  it('requires a reason and an outcome to close', () => {
    const current = { stage: 'concluded' as const, acknowledgedDay: '2025-03-15', closedDay: null };
    expect(() => planStageChange(current, 'closed', null, '2025-04-01', 'substantiated')).toThrow(HttpError);
    expect(() => planStageChange(current, 'closed', 'remedied', '2025-04-01')).toThrow(/outcome/);
    expect(planStageChange(current, 'closed', 'remedied', '2025-04-01', 'substantiated')).toEqual({
      acknowledgedDay: '2025-03-15', closedDay: '2025-04-01', outcome: 'substantiated',
    });
  });

  it('dates the acknowledgement', () => {
    const current = { stage: 'received' as const, acknowledgedDay: null, closedDay: null };
    expect(planStageChange(current, 'acknowledged', null, '2025-03-16').acknowledgedDay).toBe('2025-03-16');
  });
});

describe('feedback deadline', () => {
  it('runs three months from the acknowledgement', () => {
    expect(feedbackByDay({ acknowledgedDay: '2025-03-16', acknowledgeByDay: '2025-03-21', feedbackMonths: 3 })).toBe('2025-06-16');
  });
  it('runs from the acknowledgement deadline while not acknowledged', () => {
    expect(feedbackByDay({ acknowledgedDay: null, acknowledgeByDay: '2025-03-21', feedbackMonths: 3 })).toBe('2025-06-21');
  });
  it('ends on the last day of a shorter month', () => {
    expect(feedbackByDay({ acknowledgedDay: '2025-11-30', acknowledgeByDay: '2025-11-30', feedbackMonths: 3 })).toBe('2026-02-28');
  });
});
