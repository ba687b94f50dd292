/**
 * A tiny translation layer shared by every page (no library: the worker's
 * phone downloads every byte).
 *
 * - `t(key, vars)` looks a key up in the current catalog and fills `{name}`.
 * - Static text in the HTML carries `data-i18n="key"` (text) or
 *   `data-i18n-aria-label="key"`; `apply()` fills them, and `tr(el, key)`
 *   marks an element the same way, so a change of language re-translates
 *   messages already on screen.
 * - The chosen language lives in memory and in sessionStorage only (it ends
 *   with the tab), never in a cookie, localStorage or a URL.
 */
export type Vars = Record<string, string | number>;
export type Catalog<K extends string> = Readonly<Record<K, string>>;

const STORAGE_KEY = 'ombud.lang';

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
export function pickLanguage<L extends string>(available: readonly L[]): L {
  const browser = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  const wanted = [stored(), ...browser];
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

export function createI18n<K extends string, L extends string>(catalogs: Readonly<Record<L, Catalog<K>>>) {
  const languages = Object.keys(catalogs) as L[];
  let current: L = pickLanguage(languages);
  const listeners: Array<() => void> = [];

  function t(key: K, vars?: Vars): string {
    const text = catalogs[current][key] ?? catalogs[languages[0]!][key] ?? key;
    return interpolate(text, vars);
  }

  /** Sets an element's text and remembers the key so `apply()` can redo it. */
  function tr(el: HTMLElement, key: K, vars?: Vars): void {
    el.dataset.i18n = key;
    if (vars) el.dataset.i18nVars = JSON.stringify(vars);
    else delete el.dataset.i18nVars;
    el.textContent = t(key, vars);
  }

  function apply(root: ParentNode = document): void {
    document.documentElement.lang = current;
    for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
      const vars = el.dataset.i18nVars ? (JSON.parse(el.dataset.i18nVars) as Vars) : undefined;
      el.textContent = t(el.dataset.i18n as K, vars);
    }
    for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
      el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel as K));
    }
  }

  function setLang(lang: L): void {
    current = lang;
    try {
      sessionStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // keep it in memory only
    }
    apply();
    for (const listener of listeners) listener();
  }

  /** A server day ('2025-03-07') in the current language, e.g. "7 March 2025" / "2025年3月7日". */
  function formatDay(day: string, dateStyle: 'long' | 'medium' = 'long'): string {
    const [y, m, d] = day.split('-').map(Number);
    const date = new Date(Date.UTC(y!, m! - 1, d!));
    return new Intl.DateTimeFormat(current, { dateStyle, timeZone: 'UTC' }).format(date);
  }

  return {
    t,
    tr,
    apply,
    setLang,
    formatDay,
    lang: (): L => current,
    languages,
    onChange: (listener: () => void): void => void listeners.push(listener),
  };
}
