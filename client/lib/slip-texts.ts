/**
 * Worker-language texts for pages that are not the worker's own: the slip an
 * investigator prints for a worker whose report they entered on paper, in
 * person or by phone (client/team/on-behalf/). The category names the
 * workspace shows are in the team catalogs (client/team/category-label.ts). Kept in the worker family of catalogs (see
 * client/i18n/catalogs.test.ts), loaded on demand per language.
 */
import { interpolate } from '../i18n/core.ts';
import { LANGUAGE_NAMES, WORKER_CATALOGS, type WorkerLanguage } from '../i18n/index.ts';

export { LANGUAGE_NAMES, type WorkerLanguage };

export const WORKER_LANGUAGES = Object.keys(WORKER_CATALOGS) as WorkerLanguage[];

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
