import { describe, expect, it } from 'vitest';
import type { ReportContent } from '../../common/report.ts';
import { en } from '../i18n/en.ts';
import { indexText, matches, normalise, queryTerms } from './search-text.ts';

const report: ReportContent = {
  v: 1, lang: 'en', category: 'wages', what: 'The  supervisor\nkept our ＳＵＮＤＡＹ pay', when: 'In March', where: 'Hall 3',
  ongoing: 'yes', involved: 'Line B', wish: 'Pay us', contact: 'phone 0812 555',
};

describe('inbox search text', () => {
  it('holds the category and the report fields, normalised, but not the contact', () => {
    const text = indexText(report, en);
    expect(text).toContain('wages');
    expect(text).toContain(normalise(en['cat.wages']));
    expect(text).toContain('the supervisor kept our sunday pay');
    expect(text).toContain('hall 3');
    expect(text).not.toContain('0812');
  });

  it('matches when every word of the query occurs, in any order and case', () => {
    const text = indexText(report, en);
    expect(matches(text, queryTerms('  HALL   sunday '))).toBe(true);
    expect(matches(text, queryTerms('sunday hall 4'))).toBe(false);
    expect(matches(text, queryTerms(''))).toBe(true);
    expect(matches(undefined, queryTerms('sunday'))).toBe(false);
  });
});
