/**
 * Translations for the worker-facing pages (home, report, status, info), in
 * every language a worker can pick. Team and setup pages use ./team.ts.
 *
 * Each catalog is its own chunk, fetched only when its language is shown:
 * eight catalogs in the first download would double the report page's
 * JavaScript. This module waits (top-level await) for the first language, so
 * a page that imports it can call `t()` at once.
 */
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
} as const satisfies Record<string, Loader>;

export type WorkerLanguage = keyof typeof WORKER_CATALOGS;

/** Each language's own name, as shown in the picker. */
export const LANGUAGE_NAMES: Readonly<Record<WorkerLanguage, string>> = {
  en: 'English',
  'zh-CN': '简体中文',
  vi: 'Tiếng Việt',
  id: 'Bahasa Indonesia',
  hi: 'हिन्दी',
  es: 'Español',
  th: 'ไทย',
  ms: 'Bahasa Melayu',
};

export const i18n = createI18n<MessageKey, WorkerLanguage>(WORKER_CATALOGS);
export const { t, tn, tr, trn, formatDay } = i18n;

await i18n.ready;
