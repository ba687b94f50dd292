/**
 * The categories a worker picks from, after the sections of the supplier code
 * of conduct (reference/supplier-code-of-conduct.zh-CN.txt). The `key` goes
 * into the encrypted report (common/report.ts `category`) and must never
 * change once used; labels live in the i18n catalogs as `cat.<key>`.
 *
 * Pictograms are emoji for now (no image to download). All are from Unicode
 * 9.0 (2016) or older, so phones from Android 7 on draw them; replace them
 * with drawn SVG icons when a designer has them.
 */
export const CATEGORIES = [
  { key: 'forced_labour', icon: '⛓️', code: '1.1' },
  { key: 'child_labour', icon: '👧', code: '1.2' },
  { key: 'working_hours', icon: '⏰', code: '1.3' },
  { key: 'wages', icon: '💰', code: '1.4' },
  { key: 'discrimination', icon: '✋', code: '1.5' },
  { key: 'association', icon: '🤝', code: '1.6' },
  { key: 'retaliation', icon: '🛡️', code: '1.7' },
  { key: 'safety', icon: '⛑️', code: '2.1' },
  { key: 'emergency', icon: '🚨', code: '2.2' },
  { key: 'injury', icon: '🤕', code: '2.3' },
  { key: 'hygiene', icon: '☣️', code: '2.4' },
  { key: 'machines', icon: '⚙️', code: '2.6' },
  { key: 'living', icon: '🛏️', code: '2.7' },
  { key: 'environment', icon: '🌳', code: '3' },
  { key: 'integrity', icon: '💸', code: '4.2' },
  { key: 'privacy', icon: '👁️', code: '4.6' },
  { key: 'other', icon: '💬', code: '' },
] as const;

export type CategoryKey = (typeof CATEGORIES)[number]['key'];

/** Used when the worker leaves the category unchosen. */
export const DEFAULT_CATEGORY: CategoryKey = 'other';

export function categoryLabelKey(key: CategoryKey): `cat.${CategoryKey}` {
  return `cat.${key}`;
}

export function isCategoryKey(value: string): value is CategoryKey {
  return CATEGORIES.some((c) => c.key === value);
}
