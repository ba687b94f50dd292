/**
 * Translations for the worker-facing pages (home, report, status), in every
 * language a worker can pick. Team and setup pages use ./team.ts.
 */
import { createI18n } from './core.ts';
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { MessageKey };

export const WORKER_CATALOGS = { en, 'zh-CN': zhCN } as const;

/** Each language's own name, as shown in the picker. */
export const LANGUAGE_NAMES: Readonly<Record<keyof typeof WORKER_CATALOGS, string>> = {
  en: 'English',
  'zh-CN': '简体中文',
};

export const i18n = createI18n<MessageKey, keyof typeof WORKER_CATALOGS>(WORKER_CATALOGS);
export const { t, tr, formatDay } = i18n;
