/**
 * The categories a worker picks from, after the sections of the supplier code
 * of conduct (reference/supplier-code-of-conduct.zh-CN.txt). The `key` goes
 * into the encrypted report (common/report.ts `category`) and must never
 * change once used; labels live in the i18n catalogs as `cat.<key>`.
 *
 * Pictograms are self-drawn SVG files in ./icons/ (48×48, one colour, bold
 * strokes), so that a worker who reads little can still choose. Vite turns
 * each `new URL(…, import.meta.url)` into a hashed file under /assets (never
 * a data: URL: vite.config.ts sets assetsInlineLimit 0), fetched once and
 * cached; the page shows it as `<img alt="">` above the label, which names
 * the choice for screen readers.
 *
 * Sexual harassment and recruitment fees or debt come under sections 1.5 and
 * 1.1 of the code, but a worker looks for them by name: each has its own
 * category, next to the one it belongs under.
 */
export const CATEGORIES = [
  { key: 'forced_labour', pictogram: new URL('./icons/forced_labour.svg', import.meta.url).href, code: '1.1' },
  { key: 'recruitment_fees', pictogram: new URL('./icons/recruitment_fees.svg', import.meta.url).href, code: '1.1' },
  { key: 'child_labour', pictogram: new URL('./icons/child_labour.svg', import.meta.url).href, code: '1.2' },
  { key: 'working_hours', pictogram: new URL('./icons/working_hours.svg', import.meta.url).href, code: '1.3' },
  { key: 'wages', pictogram: new URL('./icons/wages.svg', import.meta.url).href, code: '1.4' },
  { key: 'discrimination', pictogram: new URL('./icons/discrimination.svg', import.meta.url).href, code: '1.5' },
  { key: 'sexual_harassment', pictogram: new URL('./icons/sexual_harassment.svg', import.meta.url).href, code: '1.5' },
  { key: 'association', pictogram: new URL('./icons/association.svg', import.meta.url).href, code: '1.6' },
  { key: 'retaliation', pictogram: new URL('./icons/retaliation.svg', import.meta.url).href, code: '1.7' },
  { key: 'safety', pictogram: new URL('./icons/safety.svg', import.meta.url).href, code: '2.1' },
  { key: 'emergency', pictogram: new URL('./icons/emergency.svg', import.meta.url).href, code: '2.2' },
  { key: 'injury', pictogram: new URL('./icons/injury.svg', import.meta.url).href, code: '2.3' },
  { key: 'hygiene', pictogram: new URL('./icons/hygiene.svg', import.meta.url).href, code: '2.4' },
  { key: 'machines', pictogram: new URL('./icons/machines.svg', import.meta.url).href, code: '2.6' },
  { key: 'living', pictogram: new URL('./icons/living.svg', import.meta.url).href, code: '2.7' },
  { key: 'environment', pictogram: new URL('./icons/environment.svg', import.meta.url).href, code: '3' },
  { key: 'integrity', pictogram: new URL('./icons/integrity.svg', import.meta.url).href, code: '4.2' },
  { key: 'privacy', pictogram: new URL('./icons/privacy.svg', import.meta.url).href, code: '4.6' },
  { key: 'other', pictogram: new URL('./icons/other.svg', import.meta.url).href, code: '' },
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
