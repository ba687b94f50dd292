/**
 * Translations for the worker-facing pages (home, report, status, info), in
 * every language a worker can pick. Team and setup pages use ./team.ts.
 *
 * Each catalog is its own chunk, fetched only when its language is shown:
 * eighteen catalogs in the first download would double the report page's
 * JavaScript. This module waits (top-level await) for the first language, so
 * a page that imports it can call `t()` at once.
 */
import { WORKER_LANGUAGE_NAMES } from './language-names.ts';
import { createI18n, type Catalog } from './core.ts';
import type { MessageKey } from './en.ts';

export type { MessageKey };

type Loader = () => Promise<Catalog<MessageKey>>;

/** The worker languages, in the picker's order. The first one is the fallback. */
export const WORKER_CATALOGS = {
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
} as const satisfies Record<string, Loader>;

export type WorkerLanguage = keyof typeof WORKER_CATALOGS;

/** Each language's own name, as shown in the picker (./language-names.ts: the workspace shows them too, without the worker catalogs). */
export const LANGUAGE_NAMES: Readonly<Record<WorkerLanguage, string>> = WORKER_LANGUAGE_NAMES;

export const i18n = createI18n<MessageKey, WorkerLanguage>(WORKER_CATALOGS);
export const { t, tn, tr, trn, formatDay } = i18n;

await i18n.ready;
