import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../../common/api.ts';
import { STAGES } from '../../../common/limits.ts';
import { computeStats, countBy, daysBetween, deadlineStats, median, perMonth, yearsOf, type Decrypted } from './compute.ts';

function aCase(id: string, over: Partial<CaseSummary>): CaseSummary {
  return {
    id, teamId: 't1', channel: { slug: 'main', name: 'Main' }, stage: 'received',
    receivedDay: '2026-03-02', acknowledgedDay: null, acknowledgeByDay: '2026-03-09', feedbackByDay: '2026-06-02',
    closedDay: null, lastActivityDay: '2026-03-02', awaitingReply: false, urgent: false, urgentDay: null, version: 1,
    assignee: null, labels: [], riskLevel: null, outcome: null, ...over,
  };
}

describe('statistics computations', () => {
  it('counts days between day strings across months and leap days', () => {
    expect(daysBetween('2026-01-31', '2026-02-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-03-10', '2026-03-03')).toBe(-7);
  });

  it('takes the median of odd and even counts, and none of nothing', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 2, 10])).toBe(3);
    expect(median([])).toBeNull();
  });

  it('buckets days into the twelve months of the year, leaving out other years', () => {
    const months = perMonth(['2026-01-01', '2026-01-31', '2026-12-31', '2025-12-31', '2027-01-01'], 2026);
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ key: '2026-01', count: 2 });
    expect(months[1]).toEqual({ key: '2026-02', count: 0 });
    expect(months[11]).toEqual({ key: '2026-12', count: 1 });
  });

  it('counts by key, largest first, or in a fixed order with zeros', () => {
    expect(countBy(['b', 'a', 'b'])).toEqual([{ key: 'b', count: 2 }, { key: 'a', count: 1 }]);
    expect(countBy(['3'], ['1', '2', '3'])).toEqual([{ key: '1', count: 0 }, { key: '2', count: 0 }, { key: '3', count: 1 }]);
  });

  it('counts a deadline met on its last day, missed after it, and leaves out open ones not yet due', () => {
    const stats = deadlineStats([
      { receivedDay: '2026-03-01', byDay: '2026-03-08', doneDay: '2026-03-08' }, // met, 7 days
      { receivedDay: '2026-03-01', byDay: '2026-03-08', doneDay: '2026-03-09' }, // late, 8 days
      { receivedDay: '2026-03-01', byDay: '2026-03-08', doneDay: '2026-03-02' }, // met, 1 day
      { receivedDay: '2026-03-01', byDay: '2026-03-08', doneDay: null }, // overdue: missed
      { receivedDay: '2026-03-20', byDay: '2026-03-27', doneDay: null }, // not due yet
    ], '2026-03-21');
    expect(stats).toEqual({ done: 3, medianDays: 7, met: 2, due: 4, shareMet: 0.5 });
  });

  it('has no share of deadlines met before any deadline fell due', () => {
    expect(deadlineStats([{ receivedDay: '2026-03-20', byDay: '2026-03-27', doneDay: null }], '2026-03-21').shareMet).toBeNull();
  });

  it('lists the years with cases, newest first, always with the current one', () => {
    expect(yearsOf([{ receivedDay: '2024-05-01' }, { receivedDay: '2026-01-01' }], '2026-11-24')).toEqual([2026, 2024]);
  });

  it('computes the year’s counts from workflow data and decrypted categories and answers', () => {
    const cases = [
      aCase('a', { stage: 'closed', acknowledgedDay: '2026-03-03', closedDay: '2026-04-02' }),
      aCase('b', { receivedDay: '2026-05-10', channel: { slug: 'north', name: 'North' }, acknowledgeByDay: '2026-05-17', feedbackByDay: '2026-08-10' }),
      aCase('c', { receivedDay: '2025-12-30' }),
    ];
    const decrypted = new Map<string, Decrypted>([
      ['a', { category: 'wages', satisfaction: [4] }],
      ['b', { category: 'safety', satisfaction: [] }],
      ['c', { category: 'wages', satisfaction: [1] }],
    ]);
    const stats = computeStats(cases, decrypted, 2026, '2026-11-24', STAGES);
    expect(stats.total).toBe(2);
    expect(stats.perMonth.filter((m) => m.count > 0)).toEqual([{ key: '2026-03', count: 1 }, { key: '2026-05', count: 1 }]);
    expect(stats.perCategory).toEqual([{ key: 'safety', count: 1 }, { key: 'wages', count: 1 }]);
    expect(stats.perChannel).toEqual([{ key: 'Main', count: 1 }, { key: 'North', count: 1 }]);
    expect(stats.perStage.find((s) => s.key === 'closed')?.count).toBe(1);
    expect(stats.perStage.map((s) => s.key)).toEqual([...STAGES]);
    expect(stats.acknowledge).toMatchObject({ done: 1, medianDays: 1, met: 1, due: 2, shareMet: 0.5 });
    expect(stats.feedback).toMatchObject({ done: 1, medianDays: 31, met: 1, due: 2 });
    expect(stats.satisfaction.map((s) => s.count)).toEqual([0, 0, 0, 1, 0]);
  });

  it('counts a case it could not decrypt under an unknown category', () => {
    const stats = computeStats([aCase('x', {})], new Map(), 2026, '2026-03-02', STAGES);
    expect(stats.perCategory).toEqual([{ key: 'unknown', count: 1 }]);
  });

  it('counts the categories of their own for sexual harassment and recruitment fees or debt', () => {
    const cases = ['a', 'b', 'c', 'd'].map((id) => aCase(id, {}));
    const decrypted = new Map<string, Decrypted>([
      ['a', { category: 'sexual_harassment', satisfaction: [] }],
      ['b', { category: 'recruitment_fees', satisfaction: [] }],
      ['c', { category: 'sexual_harassment', satisfaction: [] }],
      ['d', { category: 'discrimination', satisfaction: [] }],
    ]);
    expect(computeStats(cases, decrypted, 2026, '2026-11-24', STAGES).perCategory).toEqual([
      { key: 'sexual_harassment', count: 2 },
      { key: 'discrimination', count: 1 },
      { key: 'recruitment_fees', count: 1 },
    ]);
  });

  it('counts a report whose category is not in the catalog (a forged or garbled key) as unknown, not as a category of its own', () => {
    const cases = ['a', 'b', 'c'].map((id) => aCase(id, {}));
    const decrypted = new Map<string, Decrypted>([
      ['a', { category: 'made_up', satisfaction: [] }],
      ['b', { category: '__proto__', satisfaction: [] }],
      ['c', { category: 'recruitment_fees', satisfaction: [] }],
    ]);
    expect(computeStats(cases, decrypted, 2026, '2026-11-24', STAGES).perCategory).toEqual([
      { key: 'unknown', count: 2 },
      { key: 'recruitment_fees', count: 1 },
    ]);
  });
});
