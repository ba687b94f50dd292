/**
 * A channel's languages on its worker pages (/r/:slug and /r/:slug/info):
 * the picker lists them first, in the channel's order, and the page is shown
 * in the channel's first language — unless the worker already reads it in
 * one of the channel's languages: picked in this tab, or the phone's own
 * language. A worker's own pick of any language is never overridden, and the
 * channel's default is not stored as if it were their pick.
 */
import { i18n, type WorkerLanguage } from '../i18n/index.ts';
import { byId } from './dom.ts';

export async function useChannelLanguages(languages: readonly string[]): Promise<void> {
  const ours = i18n.languages.filter((code) => languages.includes(code)).sort((a, b) => languages.indexOf(a) - languages.indexOf(b));
  const first = ours[0];
  if (!first) return;
  const rank = (code: string) => (ours.includes(code as WorkerLanguage) ? ours.indexOf(code as WorkerLanguage) : ours.length + i18n.languages.indexOf(code as WorkerLanguage));
  const select = byId<HTMLSelectElement>('lang-picker');
  select.replaceChildren(...[...select.options].sort((a, b) => rank(a.value) - rank(b.value)));
  if (!i18n.picked() && !ours.includes(i18n.lang())) {
    // The catalog comes over the network; if it cannot, the page stays in the language shown.
    await i18n.setLang(first, { remember: false }).catch(() => undefined);
  }
  select.value = i18n.lang();
}
