import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../common/api.ts';
import { STAGES } from '../../common/limits.ts';
import { nextStages, overdue } from './stages.ts';

const base: CaseSummary = {
  id: 'case_0000000000000001',
  teamId: 'team_000000000000001',
  channel: { slug: 'factory-a', name: 'Factory A' },
  version: 0,
  assignee: null,
  labels: [],
  riskLevel: null,
  outcome: null,
  stage: 'received',
  receivedDay: '2025-01-01',
  acknowledgedDay: null,
  acknowledgeByDay: '2025-01-08',
  feedbackByDay: '2025-04-08',
  closedDay: null,
  urgent: false,
  urgentDay: null,
  lastActivityDay: '2025-01-01',
  awaitingReply: false,
};

describe('nextStages', () => {
  it('offers only "acknowledged" for a case just received', () => {
    expect(nextStages('received')).toEqual(['acknowledged']);
  });

  it.each(STAGES.filter((s) => s !== 'received'))('offers only later stages after %s', (stage) => {
    expect(nextStages(stage)).toEqual(STAGES.slice(STAGES.indexOf(stage) + 1));
  });
});

describe('overdue', () => {
  it('flags a missed acknowledgement, not one still due', () => {
    expect(overdue(base, '2025-01-08').ack).toBe(false);
    expect(overdue(base, '2025-01-09').ack).toBe(true);
    expect(overdue({ ...base, acknowledgedDay: '2025-01-03' }, '2025-02-01').ack).toBe(false);
  });

  it('flags missed feedback on an open case only', () => {
    const open = { ...base, stage: 'investigating' as const, acknowledgedDay: '2025-01-03' };
    expect(overdue(open, '2025-04-09').feedback).toBe(true);
    expect(overdue({ ...open, stage: 'concluded' }, '2025-04-09').feedback).toBe(false);
    expect(overdue({ ...open, stage: 'closed', closedDay: '2025-03-01' }, '2025-04-09').feedback).toBe(false);
  });
});
