/**
 * Which way a language is written. Isomorphic: the pages lay themselves out
 * by it (client/i18n/core.ts), and the build writes it beside each worker
 * language's early words (scripts/report-early.ts), so that the report
 * page's first screen is mirrored before its scripts arrive.
 */

/** Languages written right to left (by their base subtag); a page in one of them is laid out mirrored. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

export function directionOf(lang: string): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(lang.toLowerCase().split('-')[0]!) ? 'rtl' : 'ltr';
}
