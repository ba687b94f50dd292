/** Translations for the investigators' pages (team workspace, setup). English only for now. */
import { createI18n } from './core.ts';
import { teamEn, type TeamMessageKey } from './team.en.ts';

export type { TeamMessageKey };

export const TEAM_CATALOGS = { en: teamEn } as const;

export const teamI18n = createI18n<TeamMessageKey, keyof typeof TEAM_CATALOGS>(TEAM_CATALOGS);
export const { t, tr, formatDay } = teamI18n;
