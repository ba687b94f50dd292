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
import { createI18n } from './core.ts';
import type { MessageKey } from './en.ts';

export type { MessageKey };

export { WORKER_CATALOGS } from './worker-catalogs.ts';
import { WORKER_CATALOGS } from './worker-catalogs.ts';

export type WorkerLanguage = keyof typeof WORKER_CATALOGS;

/** Each language's own name, as shown in the picker (./language-names.ts: the workspace shows them too, without the worker catalogs). */
export const LANGUAGE_NAMES: Readonly<Record<WorkerLanguage, string>> = WORKER_LANGUAGE_NAMES;

export const i18n = createI18n<MessageKey, WorkerLanguage>(WORKER_CATALOGS);
export const { t, tn, tr, trn, formatDay } = i18n;

await i18n.ready;
