import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../common/api.ts';
import { applyFilter, nextDeadline, NO_FILTER } from './filters.ts';

const base: CaseSummary = {
  id: 'case_000000000000000a', teamId: 'team_000000000000001', channel: { slug: 'factory-a', name: 'Factory A' },
  stage: 'acknowledged', receivedDay: '2025-01-01', acknowledgedDay: '2025-01-02', acknowledgeByDay: '2025-01-08',
  feedbackByDay: '2025-04-02', closedDay: null, lastActivityDay: '2025-01-02', awaitingReply: false, urgent: false,
  urgentDay: null, version: 0, assignee: null, labels: [], riskLevel: null, outcome: null,
};
const wages = { ...base, id: 'case_000000000000000b', receivedDay: '2025-02-01', feedbackByDay: '2025-03-01', labels: ['wages'], riskLevel: 'high' as const };
const mine = { ...base, id: 'case_000000000000000c', receivedDay: '2025-03-01', acknowledgedDay: null, acknowledgeByDay: '2025-03-08', assignee: { id: 'inv_0000000000000001', displayName: 'Ana' } };
const urgentClosed = { ...base, id: 'case_000000000000000d', receivedDay: '2024-12-01', stage: 'closed' as const, closedDay: '2025-01-05', urgent: true, urgentDay: '2024-12-02' };
const all = [base, wages, mine, urgentClosed];
const ids = (cases: CaseSummary[]) => cases.map((c) => c.id.slice(-1));

describe('the inbox filter', () => {
  it('shows urgent cases first, then the newest', () => {
    expect(ids(applyFilter(all, NO_FILTER, '2025-01-03'))).toEqual(['d', 'c', 'b', 'a']);
  });
  it('sorts by the next deadline still to meet, closed cases last among the rest', () => {
    expect(ids(applyFilter(all, { ...NO_FILTER, sort: 'deadline' }, '2025-01-03'))).toEqual(['d', 'b', 'c', 'a']);
    expect(nextDeadline(mine)).toBe('2025-03-08');
    expect(nextDeadline(base)).toBe('2025-04-02');
  });
  it('keeps only the chosen stage, label, assignee, risk, urgency or lateness', () => {
    expect(ids(applyFilter(all, { ...NO_FILTER, stage: 'closed' }, '2025-01-03'))).toEqual(['d']);
    expect(ids(applyFilter(all, { ...NO_FILTER, label: 'wages' }, '2025-01-03'))).toEqual(['b']);
    expect(ids(applyFilter(all, { ...NO_FILTER, assignee: 'inv_0000000000000001' }, '2025-01-03'))).toEqual(['c']);
    expect(ids(applyFilter(all, { ...NO_FILTER, assignee: '-' }, '2025-01-03'))).toEqual(['d', 'b', 'a']);
    expect(ids(applyFilter(all, { ...NO_FILTER, highRisk: true }, '2025-01-03'))).toEqual(['b']);
    expect(ids(applyFilter(all, { ...NO_FILTER, urgent: true }, '2025-01-03'))).toEqual(['d']);
    expect(ids(applyFilter(all, { ...NO_FILTER, overdue: true }, '2025-03-15'))).toEqual(['c', 'b']);
  });
  it('keeps only the cases whose content matches a search, combined with the other filters', () => {
    const found = (c: CaseSummary) => c.id.endsWith('b') || c.id.endsWith('d');
    expect(ids(applyFilter(all, { ...NO_FILTER, text: 'wages' }, '2025-01-03', found))).toEqual(['d', 'b']);
    expect(ids(applyFilter(all, { ...NO_FILTER, text: 'wages', urgent: true }, '2025-01-03', found))).toEqual(['d']);
    expect(ids(applyFilter(all, { ...NO_FILTER, text: '' }, '2025-01-03', found))).toEqual(['d', 'c', 'b', 'a']);
  });
});
