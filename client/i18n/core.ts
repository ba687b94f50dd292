/**
 * A tiny translation layer shared by every page (no library: the worker's
 * phone downloads every byte).
 *
 * - `t(key, vars)` looks a key up in the current catalog and fills `{name}`.
 * - `tn(key, count, vars)` picks `key.one` / `key.few` / … / `key.other` by
 *   `Intl.PluralRules` of the current language (falling back to `.other`),
 *   and fills `{count}` with the number written the language's way.
 * - Static text in the HTML carries `data-i18n="key"` (text) or
 *   `data-i18n-aria-label="key"`; `apply()` fills them, and `tr(el, key)`
 *   marks an element the same way, so a change of language re-translates
 *   messages already on screen.
 * - Catalogs are loaded lazily, one language at a time: a catalog is either
 *   an object or a function returning one (a dynamic `import()` — Vite makes
 *   each its own chunk), so the worker's phone downloads only the language
 *   it shows. `ready` settles once the first language is in; `setLang`
 *   loads the new language before switching.
 * - The chosen language lives in memory and in sessionStorage only (it ends
 *   with the tab), never in a cookie, localStorage or a URL.
 */
import { directionOf } from '../../common/text-direction.ts';

export type Vars = Record<string, string | number>;
export type Catalog<K extends string> = Readonly<Record<K, string>>;
export type CatalogSource<K extends string> = Catalog<K> | (() => Catalog<K> | Promise<Catalog<K>>);

const STORAGE_KEY = 'ombud.lang';

/** Plural categories a catalog may give a plural key (`key.one`, `key.other`, …). */
export const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

export { directionOf };

export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function stored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the choice just lasts as long as the page
  }
}

/** The stored choice, else the first of navigator.languages we have, else the first language. */
export function pickLanguage<L extends string>(available: readonly L[], wanted: readonly (string | null | undefined)[] = browserLanguages()): L {
  for (const tag of wanted) {
    if (!tag) continue;
    const exact = available.find((l) => l.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const base = tag.toLowerCase().split('-')[0];
    const near = available.find((l) => l.toLowerCase().split('-')[0] === base);
    if (near) return near;
  }
  return available[0]!;
}

function browserLanguages(): (string | null)[] {
  const browser = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return [stored(), ...browser];
}

export function createI18n<K extends string, L extends string>(sources: Readonly<Record<L, CatalogSource<K>>>) {
  const languages = Object.keys(sources) as L[];
  const loaded = new Map<L, Catalog<K>>();
  let current: L = pickLanguage(languages);
  const listeners: Array<() => void> = [];

  /** Loads a language's catalog once; synchronous when the source is an object or a plain function. */
  function load(lang: L): Catalog<K> | Promise<Catalog<K>> {
    const have = loaded.get(lang);
    if (have) return have;
    const source: CatalogSource<K> = sources[lang];
    const result = typeof source === 'function' ? (source as () => Catalog<K> | Promise<Catalog<K>>)() : (source as Catalog<K>);
    if (result instanceof Promise) {
      return result.then((catalog) => {
        loaded.set(lang, catalog);
        return catalog;
      });
    }
    loaded.set(lang, result);
    return result;
  }

  function lookup(key: string): string | undefined {
    return (loaded.get(current) as Record<string, string> | undefined)?.[key];
  }

  function t(key: K, vars?: Vars): string {
    return interpolate(lookup(key) ?? key, vars);
  }

  /** A counted text: `key.one`, `key.other`, … chosen by the language's plural rules. */
  function tn(key: string, count: number, vars?: Vars): string {
    const form = new Intl.PluralRules(current).select(count);
    const text = lookup(`${key}.${form}`) ?? lookup(`${key}.other`) ?? key;
    return interpolate(text, { ...vars, count: new Intl.NumberFormat(current).format(count) });
  }

  /** Sets an element's text and remembers the key so `apply()` can redo it. */
  function tr(el: HTMLElement, key: K, vars?: Vars): void {
    el.dataset.i18n = key;
    delete el.dataset.i18nCount;
    if (vars) el.dataset.i18nVars = JSON.stringify(vars);
    else delete el.dataset.i18nVars;
    el.textContent = t(key, vars);
  }

  /** Like `tr`, for a counted text (see `tn`). */
  function trn(el: HTMLElement, key: string, count: number, vars?: Vars): void {
    el.dataset.i18n = key;
    el.dataset.i18nCount = String(count);
    if (vars) el.dataset.i18nVars = JSON.stringify(vars);
    else delete el.dataset.i18nVars;
    el.textContent = tn(key, count, vars);
  }

  function apply(root: ParentNode = document): void {
    document.documentElement.lang = current;
    document.documentElement.dir = directionOf(current);
    for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
      const vars = el.dataset.i18nVars ? (JSON.parse(el.dataset.i18nVars) as Vars) : undefined;
      const count = el.dataset.i18nCount;
      el.textContent = count === undefined ? t(el.dataset.i18n as K, vars) : tn(el.dataset.i18n!, Number(count), vars);
    }
    for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
      el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel as K));
    }
  }

  /** How many times a language was chosen: only the latest choice is shown. */
  let choices = 0;

  /**
   * Switches language (loading its catalog first), re-translates the page and tells the listeners.
   * `remember: false` (a channel's default language, not the worker's own pick) leaves the stored choice alone.
   */
  async function setLang(lang: L, options: { remember?: boolean } = {}): Promise<void> {
    const choice = ++choices;
    await load(lang);
    // A language chosen after this one wins, even when this one's catalog arrives last (a weak signal).
    if (choice !== choices) return;
    current = lang;
    try {
      if (options.remember !== false) sessionStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // keep it in memory only
    }
    apply();
    for (const listener of listeners) listener();
  }

  /** A server day ('2025-03-07') in the current language, e.g. "7 March 2025" / "2025年3月7日". */
  // Building an Intl.DateTimeFormat costs far more than using one: an inbox of
  // 10,000 cases formats 30,000 days (docs/performance.md).
  const dayFormats = new Map<string, Intl.DateTimeFormat>();
  function formatDay(day: string, dateStyle: 'long' | 'medium' = 'long'): string {
    const [y, m, d] = day.split('-').map(Number);
    const date = new Date(Date.UTC(y!, m! - 1, d!));
    const key = `${current}|${dateStyle}`;
    let format = dayFormats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(current, { dateStyle, timeZone: 'UTC' });
      dayFormats.set(key, format);
    }
    return format.format(date);
  }

  /** Settles when the first language's catalog is loaded (falls back to the first language if it cannot be). */
  const ready: Promise<void> = Promise.resolve(load(current)).then(
    () => undefined,
    async () => {
      current = languages[0]!;
      await load(current);
    },
  );

  return {
    t,
    tn,
    tr,
    trn,
    apply,
    setLang,
    formatDay,
    ready,
    lang: (): L => current,
    /** The language the worker picked in this tab, if any (a channel's default never overrides it). */
    picked: (): L | undefined => languages.find((l) => l === stored()),
    languages,
    onChange: (listener: () => void): void => void listeners.push(listener),
  };
}
