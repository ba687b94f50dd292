/**
 * A report's category as the workspace names it, in the investigator's
 * language (the `category.*` keys of the team catalogs). An unknown key (a
 * newer worker page) is shown as it is.
 */
import { CATEGORIES } from '../categories.ts';
import { t } from '../i18n/team.ts';

export function categoryLabel(key: string): string {
  const category = CATEGORIES.find((c) => c.key === key);
  return category ? t(`category.${category.key}`) : key;
}

/** Every category, in the form's order, with its name in the current language. */
export function categoryChoices(): { key: string; label: string }[] {
  return CATEGORIES.map((c) => ({ key: c.key, label: categoryLabel(c.key) }));
}
