/**
 * The languages the investigators' workspace, the setup pages and the e-mail
 * notices are written in. One list for both sides: the client offers exactly
 * these (client/i18n/team.ts, typed against it) and the server writes
 * notices in exactly these (server/notify/notices.ts, typed against it), so a
 * language is offered only when its workspace catalog and its notices are
 * complete — never half. The first is the fallback.
 */
export const WORKSPACE_LANGUAGES = ['en', 'zh-CN', 'vi', 'es', 'id', 'pt-BR', 'tr', 'ms', 'tl', 'th', 'km', 'my', 'bn', 'ta', 'te', 'hi', 'ne', 'ur'] as const;
export type WorkspaceLanguage = (typeof WORKSPACE_LANGUAGES)[number];

/** Each language's own name, as the chooser shows it. */
export const WORKSPACE_LANGUAGE_NAMES: Readonly<Record<WorkspaceLanguage, string>> = {
  en: 'English',
  'zh-CN': '简体中文',
  vi: 'Tiếng Việt',
  es: 'Español',
  id: 'Bahasa Indonesia',
  'pt-BR': 'Português (Brasil)',
  tr: 'Türkçe',
  ms: 'Bahasa Melayu',
  tl: 'Tagalog',
  th: 'ไทย',
  km: 'ខ្មែរ',
  my: 'မြန်မာ',
  bn: 'বাংলা',
  ta: 'தமிழ்',
  te: 'తెలుగు',
  hi: 'हिन्दी',
  ne: 'नेपाली',
  ur: 'اردو',
};

export function isWorkspaceLanguage(value: unknown): value is WorkspaceLanguage {
  return typeof value === 'string' && (WORKSPACE_LANGUAGES as readonly string[]).includes(value);
}
