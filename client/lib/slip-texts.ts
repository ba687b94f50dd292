/**
 * Worker-language texts for pages that are not the worker's own: the slip an
 * investigator prints for a worker whose report they entered on paper, in
 * person or by phone (client/team/on-behalf/), and the category names shown
 * in the team's English form. Kept in the worker family of catalogs (see
 * client/i18n/catalogs.test.ts), loaded on demand per language.
 */
import { CATEGORIES, categoryLabelKey } from '../categories.ts';
import { interpolate } from '../i18n/core.ts';
import { en } from '../i18n/en.ts';
import { LANGUAGE_NAMES, WORKER_CATALOGS, type WorkerLanguage } from '../i18n/index.ts';

export { LANGUAGE_NAMES, type WorkerLanguage };

export const WORKER_LANGUAGES = Object.keys(WORKER_CATALOGS) as WorkerLanguage[];

/** The categories with their English names (the team's pages are English). */
export function categoryChoices(): { key: string; label: string }[] {
  return CATEGORIES.map((c) => ({ key: c.key, label: en[categoryLabelKey(c.key)] }));
}

export interface SlipTexts {
  heading: string;
  tokenLabel: string;
  secret: string;
  noRecovery: string;
  received: string;
  ackBy: string;
  checkHint: string;
}

/** The receipt's own sentences, in the worker's language. */
export async function slipTexts(lang: WorkerLanguage, vars: { received: string; ackBy: string; url: string }): Promise<SlipTexts> {
  const catalog = await WORKER_CATALOGS[lang]();
  const date = (day: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  return {
    heading: catalog['receipt.heading'],
    tokenLabel: catalog['receipt.tokenLabel'],
    secret: catalog['receipt.secret'],
    noRecovery: catalog['receipt.noRecovery'],
    received: interpolate(catalog['receipt.received'], { date: date(vars.received) }),
    ackBy: interpolate(catalog['receipt.ackBy'], { date: date(vars.ackBy) }),
    checkHint: interpolate(catalog['receipt.checkHint'], { url: vars.url }),
  };
}
