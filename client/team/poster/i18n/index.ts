/**
 * The poster texts of every worker language, each its own chunk, loaded only
 * when printed. The languages are those of common/limits.ts WORKER_LANGUAGES
 * (a test checks), so a channel's languages always have a poster.
 */
import type { WorkerLanguageCode } from '../../../../common/limits.ts';
import type { Counted, PosterTexts } from './texts.ts';

export type { Counted, PosterTexts };

export const POSTER_TEXTS: Readonly<Record<WorkerLanguageCode, () => Promise<PosterTexts>>> = {
  en: () => import('./en.ts').then((m) => m.en),
  'zh-CN': () => import('./zh-CN.ts').then((m) => m.zhCN),
  vi: () => import('./vi.ts').then((m) => m.vi),
  id: () => import('./id.ts').then((m) => m.id),
  hi: () => import('./hi.ts').then((m) => m.hi),
  es: () => import('./es.ts').then((m) => m.es),
  th: () => import('./th.ts').then((m) => m.th),
  ms: () => import('./ms.ts').then((m) => m.ms),
  bn: () => import('./bn.ts').then((m) => m.bn),
  km: () => import('./km.ts').then((m) => m.km),
  my: () => import('./my.ts').then((m) => m.my),
  ne: () => import('./ne.ts').then((m) => m.ne),
  ur: () => import('./ur.ts').then((m) => m.ur),
  ta: () => import('./ta.ts').then((m) => m.ta),
  te: () => import('./te.ts').then((m) => m.te),
  tl: () => import('./tl.ts').then((m) => m.tl),
  'pt-BR': () => import('./pt-BR.ts').then((m) => m.ptBR),
  tr: () => import('./tr.ts').then((m) => m.tr),
};

export function isPosterLanguage(lang: string): lang is WorkerLanguageCode {
  return Object.hasOwn(POSTER_TEXTS, lang);
}

/** Fills `{name}` placeholders. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** “7 days” in `lang`: the `one` form for a singular where the language has one. */
export function counted(lang: string, forms: Counted, n: number): string {
  const form = new Intl.PluralRules(lang).select(n) === 'one' && forms.one ? forms.one : forms.other;
  return fill(form, { n: new Intl.NumberFormat(lang).format(n) });
}
