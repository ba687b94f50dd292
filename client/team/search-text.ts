/** The text of a case that search looks through, and how a query matches it (pure; search.ts does the rest). */
import type { ReportContent } from '../../common/report.ts';
import { CATEGORIES, categoryLabelKey, type CategoryKey } from '../categories.ts';

/**
 * The worker catalog whose category labels go into the text (English: what investigators search in).
 * Passed in, not imported: a static import here would make the English catalog a chunk shared with the
 * workspace, and the report page would need two requests for it instead of one (docs/performance.md).
 */
export type LabelCatalog = Readonly<Record<`cat.${CategoryKey}`, string>>;

/** Lowercase, accents kept, compatibility forms folded, whitespace collapsed. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();
}

/** The searchable text of a report: what an investigator would look for; not the contact. */
export function indexText(report: ReportContent, labels: LabelCatalog): string {
  const category = CATEGORIES.find((c) => c.key === report.category);
  const label = category ? labels[categoryLabelKey(category.key)] : '';
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
