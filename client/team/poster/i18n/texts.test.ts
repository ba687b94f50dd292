/**
 * Every worker language has a complete poster: every text, non-empty, with
 * the placeholders the English text has, in the language's own script.
 */
import { describe, expect, it } from 'vitest';
import { WORKER_LANGUAGES } from '../../../../common/limits.ts';
import { en } from './en.ts';
import { counted, fill, POSTER_TEXTS } from './index.ts';
import type { Counted, PosterTexts } from './texts.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
const loaded = await Promise.all(WORKER_LANGUAGES.map(async (lang) => [lang, await POSTER_TEXTS[lang]()] as const));
const texts = (catalog: PosterTexts) =>
  Object.entries(catalog).flatMap(([key, value]: [string, string | Counted]) =>
    typeof value === 'string' ? [[key, value] as const] : Object.entries(value).map(([form, text]) => [`${key}.${form}`, text] as const),
  );

describe('poster texts', () => {
  it('exist for exactly the worker languages', () => {
    expect(Object.keys(POSTER_TEXTS).sort()).toEqual([...WORKER_LANGUAGES].sort());
  });

  it.each(loaded)('%s has every text of the English poster and no other', (_lang, catalog) => {
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
    expect(texts(catalog).filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it.each(loaded)('%s uses the same {placeholders} as English', (_lang, catalog) => {
    const reference = new Map(texts(en).map(([key, text]) => [key.replace(/\.(one|other)$/, ''), placeholders(text)]));
    const differing = texts(catalog).filter(([key, text]) => reference.get(key.replace(/\.(one|other)$/, '')) !== placeholders(text));
    expect(differing.map(([key]) => key)).toEqual([]);
  });

  it.each(loaded.filter(([lang]) => lang !== 'en'))('%s is translated, not English left in place', (_lang, catalog) => {
    const same = texts(catalog).filter(([key, text]) => en[key as keyof PosterTexts] === text);
    expect(same.map(([key]) => key)).toEqual([]);
  });

  it.each([
    ['hi', /\p{Script=Devanagari}/u],
    ['th', /\p{Script=Thai}/u],
    ['zh-CN', /\p{Script=Han}/u],
    ['ne', /\p{Script=Devanagari}/u],
    ['bn', /\p{Script=Bengali}/u],
    ['km', /\p{Script=Khmer}/u],
    ['my', /\p{Script=Myanmar}/u],
    ['ur', /\p{Script=Arabic}/u],
    ['ta', /\p{Script=Tamil}/u],
    ['te', /\p{Script=Telugu}/u],
  ] as const)('writes %s in its own script', (lang, script) => {
    const catalog = loaded.find(([l]) => l === lang)![1];
    const latinOnly = texts(catalog).filter(([, text]) => /\p{L}/u.test(text.replace(/\{\w+\}/g, '')) && !script.test(text));
    expect(latinOnly.map(([key]) => key)).toEqual([]);
  });

  it('names each language in itself, each differently', () => {
    const names = loaded.map(([, catalog]) => catalog.language);
    expect(new Set(names).size).toBe(WORKER_LANGUAGES.length);
  });

  it('counts days and months with the language’s singular where it has one', () => {
    expect(counted('en', en.days, 1)).toBe('1 day');
    expect(counted('en', en.days, 7)).toBe('7 days');
    expect(fill(en.stepAck, { days: counted('en', en.days, 5) })).toBe('Within 5 days, the team tells you that they got your report.');
    const es = loaded.find(([l]) => l === 'es')![1];
    expect(counted('es', es.months, 1)).toBe('1 mes');
    expect(counted('es', es.months, 3)).toBe('3 meses');
    const zh = loaded.find(([l]) => l === 'zh-CN')![1];
    expect(counted('zh-CN', zh.days, 1)).toBe('1天');
  });
});
