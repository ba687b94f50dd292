/**
 * Every catalog is complete, and every key the pages use exists.
 *
 * Two families: the worker catalogs (en, zh-CN, …: home, report, status)
 * and the team catalogs (team and setup pages). Files under client/team/,
 * client/setup/, client/join/, client/recover/, the pieces those pages share
 * (client/accounts/) and the team.html / setup.html / join.html / recover.html pages use the team family;
 * everything else the worker family. A key is any quoted literal whose first
 * segment is a catalog namespace ('status.notFound'), and any data-i18n*
 * attribute in the HTML.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, categoryLabelKey } from '../categories.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { hi } from './hi.ts';
import { id } from './id.ts';
import { LANGUAGE_NAMES, WORKER_CATALOGS } from './index.ts';
import { ms } from './ms.ts';
import { teamEn } from './team.en.ts';
import { TEAM_CATALOGS, teamI18n } from './team.ts';
import { teamVi } from './team.vi.ts';
import { teamEs } from './team.es.ts';
import { teamId } from './team.id.ts';
import { teamZhCN } from './team.zh-CN.ts';
import { teamPtBR } from './team.pt-BR.ts';
import { teamTr } from './team.tr.ts';
import { teamMs } from './team.ms.ts';
import { teamTh } from './team.th.ts';
import { teamKm } from './team.km.ts';
import { teamTl } from './team.tl.ts';
import { teamMy } from './team.my.ts';
import { teamBn } from './team.bn.ts';
import { teamTa } from './team.ta.ts';
import { teamTe } from './team.te.ts';
import { glossaryBreaches } from './glossary.ts';
import { teamHi } from './team.hi.ts';
import { teamNe } from './team.ne.ts';
import { teamUr } from './team.ur.ts';
import { WORKSPACE_LANGUAGES, WORKSPACE_LANGUAGE_NAMES } from '../../common/workspace-languages.ts';
import { th } from './th.ts';
import { vi } from './vi.ts';
import { zhCN } from './zh-CN.ts';
import { bn } from './bn.ts';
import { km } from './km.ts';
import { my } from './my.ts';
import { ne } from './ne.ts';
import { ur } from './ur.ts';
import { ta } from './ta.ts';
import { te } from './te.ts';
import { tl } from './tl.ts';
import { ptBR } from './pt-BR.ts';
import { tr } from './tr.ts';

type Catalogs = Record<string, Readonly<Record<string, string>>>;
const FAMILIES: Record<'worker' | 'team', Catalogs> = {
  worker: { en, 'zh-CN': zhCN, vi, id, hi, es, th, ms, bn, km, my, ne, ur, ta, te, tl, 'pt-BR': ptBR, tr },
  team: { en: teamEn, 'zh-CN': teamZhCN, vi: teamVi, es: teamEs, id: teamId, 'pt-BR': teamPtBR, tr: teamTr, ms: teamMs, tl: teamTl, th: teamTh, km: teamKm, my: teamMy, bn: teamBn, ta: teamTa, te: teamTe, hi: teamHi, ne: teamNe, ur: teamUr },
};

const clientDir = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sourceFiles(path); // catalogs define keys
    return /\.(ts|html)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function familyOf(path: string): 'worker' | 'team' {
  const rel = relative(clientDir, path).replaceAll('\\', '/');
  return /^(team|setup|join|recover|accounts)(\/|\.html$)/.test(rel) ? 'team' : 'worker';
}

const namespaces = (catalogs: Catalogs) => new Set(Object.values(catalogs).flatMap((c) => Object.keys(c).map((k) => k.split('.')[0]!)));
const NAMESPACE = { worker: namespaces(FAMILIES.worker), team: namespaces(FAMILIES.team) };

/** Keys used in a file: quoted literals in a known namespace, and data-i18n attributes. */
function usedKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const m of text.matchAll(/data-i18n(?:-aria-label)?="([^"]+)"/g)) keys.add(m[1]!);
  for (const m of text.matchAll(/(['"`])([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)\1/g)) {
    const ns = m[2]!.split('.')[0]!;
    if (NAMESPACE.worker.has(ns) || NAMESPACE.team.has(ns)) keys.add(m[2]!);
  }
  return [...keys];
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(Object.entries(FAMILIES))('the %s catalogs', (_family, catalogs) => {
  const [reference, ...others] = Object.entries(catalogs);
  const referenceKeys = Object.keys(reference![1]);

  it.each(Object.entries(catalogs))('%s has no empty text', (_lang, catalog) => {
    expect(Object.entries(catalog).filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it.each(others)('%s has exactly the keys of the reference catalog', (_lang, catalog) => {
    expect(referenceKeys.filter((key) => !(key in catalog))).toEqual([]);
    expect(Object.keys(catalog).filter((key) => !referenceKeys.includes(key))).toEqual([]);
  });

  it.each(Object.entries(catalogs))('%s gives every counted text an .other form', (_lang, catalog) => {
    const bases = new Set(Object.keys(catalog).flatMap((key) => /^(.+)\.(zero|one|two|few|many)$/.exec(key)?.[1] ?? []));
    expect([...bases].filter((base) => !catalog[`${base}.other`])).toEqual([]);
  });

  it.each(others)('%s uses the same {placeholders} as the reference', (_lang, catalog) => {
    const differing = referenceKeys.filter((key) => placeholders(reference![1][key]!).join() !== placeholders(catalog[key] ?? '').join());
    expect(differing).toEqual([]);
  });
});

describe('the worker languages', () => {
  it('offers every tested catalog in the picker, each under its own name', () => {
    expect(Object.keys(WORKER_CATALOGS).sort()).toEqual(Object.keys(FAMILIES.worker).sort());
    expect(Object.keys(LANGUAGE_NAMES).sort()).toEqual(Object.keys(FAMILIES.worker).sort());
    expect(Object.values(LANGUAGE_NAMES).every((name) => name.trim() !== '')).toBe(true);
  });

  it.each(Object.entries(WORKER_CATALOGS))('loads the %s catalog lazily, as the object this test checks', async (lang, load) => {
    expect(await load()).toBe(FAMILIES.worker[lang]);
  });

  it('registers every catalog file in client/i18n/', () => {
    const files = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter(
      (name) => /^[a-z]{2}(-[A-Z]{2})?\.ts$/.test(name),
    );
    expect(files.map((name) => name.replace(/\.ts$/, '')).sort()).toEqual(Object.keys(FAMILIES.worker).sort());
  });

  /** The text without placeholders, the product's name and Latin acronyms (KB, QR, NGO), which stay as they are. */
  const wordsOf = (text: string) => text.replace(/\{\w+\}|Ombud|\b[A-Z]{2,}\b/g, '');

  it('writes each language in its own script: Hindi and Nepali in Devanagari, Thai, Bengali, Khmer, Burmese, Urdu (Arabic), Tamil, Telugu (any text with words in it)', () => {
    const latinOnly = (catalog: Readonly<Record<string, string>>, script: RegExp) =>
      Object.entries(catalog)
        .filter(([key, text]) => !key.endsWith('.fileName') && /\p{L}/u.test(wordsOf(text)) && !script.test(text))
        .map(([key]) => key);
    expect(latinOnly(hi, /\p{Script=Devanagari}/u)).toEqual([]);
    expect(latinOnly(th, /\p{Script=Thai}/u)).toEqual([]);
    expect(latinOnly(ne, /\p{Script=Devanagari}/u)).toEqual([]);
    expect(latinOnly(bn, /\p{Script=Bengali}/u)).toEqual([]);
    expect(latinOnly(km, /\p{Script=Khmer}/u)).toEqual([]);
    expect(latinOnly(my, /\p{Script=Myanmar}/u)).toEqual([]);
    expect(latinOnly(ur, /\p{Script=Arabic}/u)).toEqual([]);
    expect(latinOnly(ta, /\p{Script=Tamil}/u)).toEqual([]);
    expect(latinOnly(te, /\p{Script=Telugu}/u)).toEqual([]);
  });
});

describe('the workspace languages', () => {
  it('offers exactly the languages whose catalogs are tested (and whose e-mail notices exist), each under its own name', () => {
    expect(Object.keys(TEAM_CATALOGS).sort()).toEqual(Object.keys(FAMILIES.team).sort());
    expect([...WORKSPACE_LANGUAGES].sort()).toEqual(Object.keys(FAMILIES.team).sort());
    expect(teamI18n.languages).toEqual([...WORKSPACE_LANGUAGES]);
    expect(Object.keys(WORKSPACE_LANGUAGE_NAMES).sort()).toEqual(Object.keys(FAMILIES.team).sort());
  });

  it('registers every team catalog file in client/i18n/', () => {
    const files = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((name) => /^team\.[a-z]{2}(-[A-Z]{2})?\.ts$/.test(name));
    expect(files.map((name) => name.replace(/^team\.|\.ts$/g, '')).sort()).toEqual(Object.keys(FAMILIES.team).sort());
  });

  it.each(Object.entries(TEAM_CATALOGS).filter(([, source]) => typeof source === 'function'))(
    'loads the %s catalog on demand (its own chunk, not in the workspace bundle), as the object this test checks',
    async (lang, load) => {
      expect(await (load as () => Promise<unknown>)()).toBe(FAMILIES.team[lang]);
    },
  );

  /** A text's words: without placeholders, the product's name, Latin acronyms, file names and PGP armour lines. */
  const words = (text: string) =>
    text.replace(/\{\w+\}|Ombud|GnuPG|OpenPGP|\bOgg\b|\bOpus\b|\bWebM\b|\b[A-Z]{2,}\b|-----[A-Z ]+-----|\S+\.(asc|gpg|zip)\b|\.asc|gpg --import|\/r\/\S*|shenzhen-plant-3|bac-ninh-xuong-3/g, '');

  it('names every report category in every workspace language', () => {
    for (const catalog of Object.values(FAMILIES.team)) {
      expect(CATEGORIES.map((c) => `category.${c.key}`).filter((key) => !catalog[key])).toEqual([]);
    }
  });

  /** Texts written the same way in English and the language ("No" is Spanish too). */
  const SAME: Record<string, string[]> = {
    es: ['case.ongoing.no', 'onBehalf.ongoing.no', 'auditDetail.no', 'auditDetail.bytes'],
    id: ['invites.role.admin', 'members.role.admin', 'audit.seq', 'work.filterLabel'],
    'pt-BR': ['auditDetail.bytes'],
    ms: ['work.filterLabel'],
    // Tagalog as Filipino offices write it keeps these English words (the tl worker glossary: "team", not "koponan").
    tl: ['team.brand', 'account.team', 'login.username', 'setup.username', 'recover.username', 'auditDetail.username', 'login.password', 'setup.password',
      'inbox.channel', 'onBehalf.channel', 'auditDetail.channel', 'auditDetail.team', 'auditDetail.teamId', 'channels.slug'],
  };

  it.each([['zh-CN', teamZhCN], ['vi', teamVi], ['es', teamEs], ['id', teamId], ['pt-BR', teamPtBR], ['tr', teamTr], ['ms', teamMs], ['tl', teamTl], ['th', teamTh], ['km', teamKm], ['my', teamMy], ['bn', teamBn], ['ta', teamTa], ['te', teamTe], ['hi', teamHi], ['ne', teamNe], ['ur', teamUr]] as const)('%s leaves no text in English', (lang, catalog) => {
    const english = Object.entries(teamEn).filter(([key, text]) => /\p{L}{2,}/u.test(words(text)) && catalog[key as keyof typeof teamEn] === text);
    expect(english.map(([key]) => key).filter((key) => !key.endsWith('.fileName') && !SAME[lang]?.includes(key))).toEqual([]);
  });

  it('writes Chinese in Han characters (every text with words in it)', () => {
    const latin = Object.entries(teamZhCN).filter(([key, text]) => !key.endsWith('.fileName') && /\p{L}/u.test(words(text)) && !/\p{Script=Han}/u.test(text));
    expect(latin.map(([key]) => key)).toEqual([]);
  });

  it('keeps the glossary of the workspace: zh-CN says 反映 (not 举报) and vi says phản ánh (not báo cáo) for a worker\'s report', () => {
    expect(Object.entries(teamZhCN).filter(([, text]) => text.includes('举报')).map(([key]) => key)).toEqual([]);
    expect(Object.entries(teamVi).filter(([, text]) => /báo cáo/i.test(text)).map(([key]) => key)).toEqual([]);
  });

  /**
   * Workspace catalogs in a language with its own script: every text with words in it is written in that
   * script (a text left in English would pass the completeness test).
   */
  const OWN_SCRIPT: Array<[string, Readonly<Record<string, string>>, RegExp]> = [
    ['th', teamTh, /\p{Script=Thai}/u],
    ['km', teamKm, /\p{Script=Khmer}/u],
    ['my', teamMy, /\p{Script=Myanmar}/u],
    ['bn', teamBn, /\p{Script=Bengali}/u],
    ['ta', teamTa, /\p{Script=Tamil}/u],
    ['te', teamTe, /\p{Script=Telugu}/u],
    ['hi', teamHi, /\p{Script=Devanagari}/u],
    ['ne', teamNe, /\p{Script=Devanagari}/u],
    ['ur', teamUr, /\p{Script=Arabic}/u],
  ];

  it.each(OWN_SCRIPT)('writes %s in its own script (every text with words in it)', (_lang, catalog, script) => {
    const foreign = Object.entries(catalog).filter(([key, text]) => !key.endsWith('.fileName') && /\p{L}/u.test(words(text)) && !script.test(text));
    expect(foreign.map(([key]) => key)).toEqual([]);
  });

  it.each(OWN_SCRIPT.filter(([lang]) => ['bn', 'ta', 'te'].includes(lang)))('leaves no English word inside a %s text (only product names, acronyms, file types, address examples and the name Zawgyi)', (_lang, catalog) => {
    const latin = Object.entries(catalog)
      .filter(([key]) => !key.endsWith('.fileName'))
      .map(([key, text]) => [key, (words(text).replace(/\.(gpg|zip)\b|\b[a-z]+(-[a-z]+)*-\d+\b|\bZawgyi\b/g, '').match(/\p{Script=Latin}{2,}/gu) ?? []).join(' ')])
      .filter(([, found]) => found);
    expect(latin).toEqual([]);
  });

  // A worker and the committee call things the same: each workspace catalog uses none of the variants its
  // language's worker glossary rules out (pt-BR "denúncia", tr "ihbar", ms "melapor", th "โปรด", bn "টিম"…).
  const GLOSSARY_CHECKED: Array<[string, Readonly<Record<string, string>>]> = [
    ['pt-BR', teamPtBR], ['tr', teamTr], ['ms', teamMs], ['tl', teamTl], ['th', teamTh], ['km', teamKm], ['my', teamMy], ['bn', teamBn], ['ta', teamTa], ['te', teamTe], ['hi', teamHi], ['ne', teamNe], ['ur', teamUr],
  ];
  it.each(GLOSSARY_CHECKED)('%s uses none of the variants its worker glossary rules out', (lang, catalog) => {
    expect(glossaryBreaches(lang, catalog).filter((breach) => !breach.endsWith('is used nowhere'))).toEqual([]);
  });
  // These also use every glossary term somewhere (the others have terms the workspace never needs).
  it.each(GLOSSARY_CHECKED.filter(([lang]) => ['ms', 'tl', 'th', 'km', 'my', 'hi', 'ne', 'ur'].includes(lang)))('%s uses every word of its worker glossary', (lang, catalog) => {
    expect(glossaryBreaches(lang, catalog)).toEqual([]);
  });
});

describe('keys used by the pages', () => {
  it('has a label for every category in every worker catalog', () => {
    for (const catalog of Object.values(FAMILIES.worker)) {
      expect(CATEGORIES.map((c) => categoryLabelKey(c.key)).filter((key) => !catalog[key])).toEqual([]);
    }
  });

  it.each(sourceFiles(clientDir).map((path) => [relative(clientDir, path), path]))('%s uses only keys its catalogs have', (_name, path) => {
    const family = familyOf(path);
    const missing = usedKeys(readFileSync(path, 'utf8')).filter((key) =>
      // A counted text (tn/trn) is used by its base key and written as key.one / key.other / …
      Object.values(FAMILIES[family]).some((catalog) => !catalog[key] && !catalog[`${key}.other`]),
    );
    expect(missing).toEqual([]);
  });

  it('finds the keys it is meant to find (guards the scanner itself)', () => {
    expect(usedKeys(`t('status.notFound'); tr(el, "report.send"); <p data-i18n="home.heading">`)).toEqual([
      'home.heading',
      'status.notFound',
      'report.send',
    ]);
  });
});
