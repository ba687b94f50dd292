import { describe, expect, it } from 'vitest';
import { MAX_EVENT_LINES, noticeText } from './notices.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `case${String(i).padStart(4, '0')}`);

describe('notice texts', () => {
  it('puts retaliation first and links to the workspace', () => {
    const text = noticeText({
      kind: 'events',
      events: [{ kind: 'reporter_wrote', caseShortId: 'aaaa1111' }, { kind: 'retaliation_reported', caseShortId: 'bbbb2222' }],
    }, 'https://speakup.example');
    expect(text.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- URGENT: the reporter of case bbbb2222 reports retaliation.',
      '- The reporter wrote a new message on case aaaa1111.',
    ]);
    expect(text).toContain('Sign in to read it: https://speakup.example/team');
  });

  it('stays short when a flood of reports arrives', () => {
    const many = ids(MAX_EVENT_LINES + 25);
    const events = noticeText({ kind: 'events', events: many.map((id) => ({ kind: 'case_received', caseShortId: id })) }, 'https://x.example');
    expect(events.split('\n').filter((l) => l.startsWith('- A new report'))).toHaveLength(MAX_EVENT_LINES);
    expect(events).toContain('- … and 25 more.');
    const digest = noticeText({
      kind: 'digest', counts: { acknowledgeSoon: [], acknowledgeMissed: many, feedbackSoon: [], feedbackMissed: [] },
    }, 'https://x.example');
    expect(digest).toContain(`- ${many.length} acknowledgement overdue: ${many.slice(0, MAX_EVENT_LINES).join(', ')}, …\n`);
    expect(digest).not.toContain(many.at(-1)!);
  });
});
