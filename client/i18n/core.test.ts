/** The translation layer: language choice, lazy catalogs, plurals and dates in the chosen language. */
import { afterEach, describe, expect, it } from 'vitest';

// Node 25+ has a process-wide sessionStorage (like a browser tab's): a language one test remembers must not leak into the next.
afterEach(() => {
  if (typeof sessionStorage !== 'undefined') sessionStorage.clear();
});
import { createI18n, interpolate, pickLanguage } from './core.ts';

type Key = 'hello' | 'days.one' | 'days.other';
const en = { hello: 'Hello {name}', 'days.one': '{count} day', 'days.other': '{count} days' } as const;
const hi = { hello: 'नमस्ते {name}', 'days.one': '{count} दिन', 'days.other': '{count} दिनों' } as const;
const zh = { hello: '你好 {name}', 'days.one': '{count} 天', 'days.other': '{count} 天' } as const;

describe('pickLanguage', () => {
  const available = ['en', 'zh-CN', 'hi', 'es'] as const;

  it('takes the first browser language it has, exactly or by its base language', () => {
    expect(pickLanguage(available, ['fr-FR', 'zh', 'en'])).toBe('zh-CN');
    expect(pickLanguage(available, ['hi-IN'])).toBe('hi');
    expect(pickLanguage(available, ['es-419', 'en'])).toBe('es');
  });

  it('falls back to the first language when none matches', () => {
    expect(pickLanguage(available, ['fr', 'de'])).toBe('en');
    expect(pickLanguage(available, [])).toBe('en');
  });
});

describe('createI18n', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('Hi {name}, {other}', { name: 'A' })).toBe('Hi A, {other}');
  });

  it('loads only the language it shows, and the next one when asked', async () => {
    const loaded: string[] = [];
    const i18n = createI18n<Key, 'en' | 'hi'>({
      en: async () => (loaded.push('en'), en),
      hi: async () => (loaded.push('hi'), hi),
    });
    await i18n.ready;
    expect(loaded).toEqual(['en']);
    expect(i18n.t('hello', { name: 'Lan' })).toBe('Hello Lan');
    const changes: string[] = [];
    i18n.onChange(() => changes.push(i18n.lang()));
    await setLangWithoutDocument(i18n, 'hi');
    expect(loaded).toEqual(['en', 'hi']);
    expect(i18n.t('hello', { name: 'Lan' })).toBe('नमस्ते Lan');
  });

  it('chooses plural forms by the language’s own rules', async () => {
    const i18n = createI18n<Key, 'en' | 'zh-CN'>({ en, 'zh-CN': zh });
    await i18n.ready;
    expect(i18n.tn('days', 1)).toBe('1 day');
    expect(i18n.tn('days', 0)).toBe('0 days');
    expect(i18n.tn('days', 14)).toBe('14 days');
    await setLangWithoutDocument(i18n, 'zh-CN');
    expect(i18n.tn('days', 1)).toBe('1 天');
  });

  it('writes dates in the chosen language', async () => {
    const i18n = createI18n<Key, 'en' | 'zh-CN'>({ en, 'zh-CN': zh });
    expect(i18n.formatDay('2025-03-07')).toBe('March 7, 2025');
    await setLangWithoutDocument(i18n, 'zh-CN');
    expect(i18n.formatDay('2025-03-07')).toBe('2025年3月7日');
  });

  it('shows the language chosen last, even when one chosen before it loads after it', async () => {
    let arrive = (): void => undefined;
    const slow = new Promise<void>((resolve) => (arrive = resolve));
    const i18n = createI18n<Key, 'en' | 'hi' | 'zh-CN'>({ en, hi: async () => (await slow, hi), 'zh-CN': async () => zh });
    await i18n.ready;
    const changes: string[] = [];
    i18n.onChange(() => changes.push(i18n.lang()));
    const first = setLangWithoutDocument(i18n, 'hi');
    await setLangWithoutDocument(i18n, 'zh-CN');
    arrive();
    await first;
    expect(i18n.lang()).toBe('zh-CN');
    expect(i18n.t('hello', { name: 'Lan' })).toBe('你好 Lan');
    expect(changes).toEqual(['zh-CN']);
  });

  it('keeps the language shown when a catalog cannot be loaded', async () => {
    const i18n = createI18n<Key, 'en' | 'hi'>({ en, hi: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(setLangWithoutDocument(i18n, 'hi')).rejects.toThrow('Failed to fetch');
    expect(i18n.lang()).toBe('en');
  });
});

/** setLang re-translates `document`; this unit test has none, so give it an empty one. */
async function setLangWithoutDocument<L extends string>(i18n: { setLang(lang: L): Promise<void> }, lang: L): Promise<void> {
  const g = globalThis as { document?: unknown };
  const had = 'document' in g;
  g.document = { documentElement: {}, querySelectorAll: () => [] };
  try {
    await i18n.setLang(lang);
  } finally {
    if (!had) delete g.document;
  }
}
