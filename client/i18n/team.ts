/**
 * Translations for the investigators' pages (team workspace, setup, join,
 * recover), in every language of common/workspace-languages.ts.
 *
 * English is in the bundle (it is the fallback and the key list); every
 * other catalog is its own chunk, fetched only when its language is shown.
 * The language is the investigator's choice kept with their account (the
 * session says it, and e-mail notices use it), else the one picked in this
 * tab, else the browser's. This module waits (top-level await) for the first
 * language, so a page that imports it can call `t()` at once.
 */
import { WORKSPACE_LANGUAGES, type WorkspaceLanguage } from '../../common/workspace-languages.ts';
import { createI18n, type Catalog } from './core.ts';
import { teamEn, type TeamMessageKey } from './team.en.ts';

export type { TeamMessageKey };

type Source = Catalog<TeamMessageKey> | (() => Promise<Catalog<TeamMessageKey>>);

export const TEAM_CATALOGS = {
  en: teamEn,
  'zh-CN': () => import('./team.zh-CN.ts').then((m) => m.teamZhCN),
  vi: () => import('./team.vi.ts').then((m) => m.teamVi),
  es: () => import('./team.es.ts').then((m) => m.teamEs),
  id: () => import('./team.id.ts').then((m) => m.teamId),
  'pt-BR': () => import('./team.pt-BR.ts').then((m) => m.teamPtBR),
  tr: () => import('./team.tr.ts').then((m) => m.teamTr),
  ms: () => import('./team.ms.ts').then((m) => m.teamMs),
  tl: () => import('./team.tl.ts').then((m) => m.teamTl),
  th: () => import('./team.th.ts').then((m) => m.teamTh),
  km: () => import('./team.km.ts').then((m) => m.teamKm),
  my: () => import('./team.my.ts').then((m) => m.teamMy),
  bn: () => import('./team.bn.ts').then((m) => m.teamBn),
  ta: () => import('./team.ta.ts').then((m) => m.teamTa),
  te: () => import('./team.te.ts').then((m) => m.teamTe),
  hi: () => import('./team.hi.ts').then((m) => m.teamHi),
  ne: () => import('./team.ne.ts').then((m) => m.teamNe),
  ur: () => import('./team.ur.ts').then((m) => m.teamUr),
} as const satisfies Record<WorkspaceLanguage, Source>;

// Offered in the list's order; the list and the catalogs name the same languages (catalogs.test.ts).
const ordered = Object.fromEntries(WORKSPACE_LANGUAGES.map((lang) => [lang, TEAM_CATALOGS[lang]])) as Record<WorkspaceLanguage, Source>;

export const teamI18n = createI18n<TeamMessageKey, WorkspaceLanguage>(ordered);
export const { t, tn, tr, trn, formatDay } = teamI18n;

await teamI18n.ready;
