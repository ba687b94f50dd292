/** The text of a case that search looks through, and how a query matches it (pure; search.ts does the rest). */
import type { ReportContent } from '../../common/report.ts';
import { CATEGORIES, categoryLabelKey } from '../categories.ts';
import { en as workerEn } from '../i18n/en.ts';

/** Lowercase, accents kept, compatibility forms folded, whitespace collapsed. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();
}

/** The searchable text of a report: what an investigator would look for; not the contact. */
export function indexText(report: ReportContent): string {
  const category = CATEGORIES.find((c) => c.key === report.category);
  const label = category ? workerEn[categoryLabelKey(category.key)] : '';
  return normalise([report.category, label, report.what, report.where, report.when, report.involved, report.wish].join(' \n '));
}

/** Every word of the query occurs in the text (substring match, any order). */
export function matches(text: string | undefined, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  if (text === undefined) return false;
  return terms.every((term) => text.includes(term));
}

export function queryTerms(query: string): string[] {
  const q = normalise(query);
  return q ? q.split(' ') : [];
}
