/**
 * Each worker language's own name, as the report form's picker shows it. A
 * module of its own so that the workspace (client/team/team-names.ts) can
 * name the languages without loading the worker catalogs.
 */
import type { WorkerLanguageCode } from '../../common/limits.ts';

export const WORKER_LANGUAGE_NAMES: Readonly<Record<WorkerLanguageCode, string>> = {
  en: 'English',
  'zh-CN': '简体中文',
  vi: 'Tiếng Việt',
  id: 'Bahasa Indonesia',
  hi: 'हिन्दी',
  es: 'Español',
  th: 'ไทย',
  ms: 'Bahasa Melayu',
  bn: 'বাংলা',
  km: 'ខ្មែរ',
  my: 'မြန်မာ',
  ne: 'नेपाली',
  ur: 'اردو',
  ta: 'தமிழ்',
  te: 'తెలుగు',
  tl: 'Tagalog',
  'pt-BR': 'Português (Brasil)',
  tr: 'Türkçe',
};
