/**
 * Every worker catalog follows its language's glossary: the agreed form of
 * each word that matters is used, and no variant the glossary rules out.
 */
import { describe, expect, it } from 'vitest';
import { containsForm, GLOSSARY, glossaryBreaches } from './glossary.ts';
import { WORKER_CATALOGS } from './index.ts';
import { POSTER_TEXTS } from '../team/poster/i18n/index.ts';

const catalogs = await Promise.all(Object.entries(WORKER_CATALOGS).map(async ([lang, load]) => [lang, await load()] as const));

describe('the glossary', () => {
  it('has an entry for every worker language', () => {
    expect(Object.keys(GLOSSARY).sort()).toEqual(Object.keys(WORKER_CATALOGS).sort());
  });

  it.each(catalogs)('%s uses its glossary forms and none of the variants it rules out', (lang, catalog) => {
    expect(glossaryBreaches(lang, catalog)).toEqual([]);
  });

  it.each(Object.entries(POSTER_TEXTS))('the %s poster and card use none of the variants the glossary rules out', async (lang, load) => {
    const texts: Record<string, string> = Object.fromEntries(
      Object.entries(await load()).flatMap(([key, value]: [string, string | Record<string, string>]) =>
        typeof value === 'string' ? [[key, value]] : Object.entries(value).map(([form, text]) => [`${key}.${form}`, text]),
      ),
    );
    // Only the ruled-out forms: a poster says less, so not every glossary form appears on it.
    expect(glossaryBreaches(lang, texts).filter((breach) => !breach.endsWith('is used nowhere'))).toEqual([]);
  });

  it('finds a ruled-out variant, naming the term and the key (guards the check itself)', () => {
    const breaches = glossaryBreaches('zh-CN', { a: '投诉编号', b: '语音留言', c: '可以不填，变声', d: '你的举报已发送' });
    expect(breaches).toEqual(['report: “举报” (use “投诉”) in d']);
    expect(glossaryBreaches('ms', { a: 'Anda boleh melapor', b: 'membuat laporan, fail, buli atau gangguan' })).toEqual([
      'to report: “melapor” (use “membuat laporan”) in a',
    ]);
  });

  it('matches Latin words whole, so “melaporkan” is not “melapor” and “profile” is not “file”', () => {
    expect(containsForm('Anda melaporkan hukuman', 'melapor')).toBe(false);
    expect(containsForm('Anda melapor.', 'melapor')).toBe(true);
    expect(containsForm('your profile', 'file')).toBe(false);
    expect(containsForm('Usted puede', 'usted')).toBe(true);
  });
});
