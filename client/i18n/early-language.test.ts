/**
 * The report page's inline script (common/report-early-script.ts) picks the
 * catalog to fetch early exactly as the page picks its language
 * (./core.ts pickLanguage), asks for the channel only on a pinned link, with
 * the options of client/lib/api.ts, and is the script the CSP allows.
 */
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES } from '../../common/release-manifest.ts';
import {
  EARLY_WORDS, REPORT_EARLY_FORM_SCRIPT, REPORT_EARLY_FORM_SCRIPT_CSP, REPORT_EARLY_SCRIPT, REPORT_EARLY_SCRIPT_CSP, REPORT_EARLY_STYLE_CSP,
  catalogsMeta, earlyWordsJson, firstScreenCss,
} from '../../common/report-early-script.ts';
import { scriptCsp, workerCatalogModules } from '../../scripts/report-early.ts';
import { directionOf, pickLanguage } from './core.ts';
import { WORKER_CATALOGS } from './worker-catalogs.ts';
import { readFileSync } from 'node:fs';

const LANGUAGES = Object.keys(WORKER_CATALOGS);
const META = catalogsMeta(LANGUAGES.map((lang) => [lang, [`/assets/${lang}-x.js`]] as const));
const META_CONTENT = /content="([^"]*)"/.exec(META)![1]!;

interface Run { preloaded: string[]; fetched: Array<{ url: string; init: unknown }>; handedOver: boolean; lang: unknown }

/** Runs the script in a page at `path` + `hash` with this storage and these browser languages. */
function run(opts: { stored?: string | null; storageThrows?: boolean; languages?: string[]; path?: string; hash?: string; apiOrigin?: boolean }): Run {
  const preloaded: string[] = [];
  const fetched: Run['fetched'] = [];
  const window: Record<string, unknown> = {};
  const document = {
    querySelector: (selector: string) => {
      if (selector === 'meta[name="ombud-catalogs"]') return { content: META_CONTENT };
      if (selector === 'meta[name="ombud-api-origin"]') return opts.apiOrigin ? { content: 'https://api.example.org' } : null;
      throw new Error(selector);
    },
    createElement: () => ({}) as Record<string, string>,
    head: { appendChild: (link: Record<string, string>) => { expect(link).toMatchObject({ rel: 'modulepreload', crossOrigin: 'anonymous' }); preloaded.push(link.href!); } },
  };
  const sessionStorage = { getItem: (key: string) => { if (opts.storageThrows) throw new Error('denied'); expect(key).toBe('ombud.lang'); return opts.stored ?? null; } };
  const fetch = (url: string, init: unknown) => { fetched.push({ url, init }); return Promise.resolve({}); };
  const languages = opts.languages ?? ['en-GB', 'en'];
  runInNewContext(REPORT_EARLY_SCRIPT, {
    window, document, sessionStorage, fetch,
    navigator: { languages, language: languages[0] },
    location: { pathname: opts.path ?? '/r/factory-1', hash: opts.hash ?? '#pins=abc' },
  });
  return { preloaded, fetched, handedOver: 'ombudFirstChannel' in window, lang: window.ombudEarlyLang };
}

describe('the report page\'s early requests', () => {
  const cases: Array<{ stored?: string | null; languages: string[] }> = [
    { languages: ['en-GB', 'en'] },
    { languages: ['zh-CN', 'zh'] },
    { languages: ['zh-TW'] },
    { languages: ['pt-PT', 'en'] },
    { languages: ['PT-br'] },
    { languages: ['de-DE', 'fr'] },
    { languages: [] },
    { languages: ['fr', 'vi-VN', 'en'] },
    { languages: ['ms-MY', 'id'] },
    { stored: 'th', languages: ['en-GB'] },
    { stored: 'zh-CN', languages: ['vi'] },
    { stored: 'xx', languages: ['hi-IN'] },
    { stored: '', languages: ['ta'] },
  ];
  for (const c of cases) {
    it(`preloads the catalog the page will show (stored ${String(c.stored)}, browser ${c.languages.join(',') || 'none'})`, () => {
      const lang = pickLanguage(LANGUAGES, [c.stored ?? null, ...c.languages]);
      const { preloaded, lang: early } = run(c);
      expect(preloaded).toEqual([`/assets/${lang}-x.js`]);
      expect(early).toBe(lang); // the early form's words are in the same language
    });
  }

  it('falls back to the browser languages when storage is refused', () => {
    expect(run({ storageThrows: true, languages: ['es-MX'] }).preloaded).toEqual(['/assets/es-x.js']);
  });

  it('asks for the channel of a pinned link once, with the API module\'s options, and hands the answer over', () => {
    const { fetched, handedOver } = run({ path: '/r/factory-1', hash: '#pins=abc' });
    expect(fetched).toEqual([{
      url: '/api/channels/factory-1',
      init: { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer' },
    }]);
    expect(handedOver).toBe(true);
  });

  it('asks for nothing on a link without pins, on another path, or when the API has an origin of its own', () => {
    for (const opts of [{ hash: '' }, { hash: '#x' }, { path: '/r/Factory' }, { path: '/status' }, { apiOrigin: true }]) {
      const { fetched, handedOver } = run(opts);
      expect(fetched).toEqual([]);
      expect(handedOver).toBe(false);
    }
  });

  it('is the inline script the CSP allows, by the SHA-256 of its text', () => {
    const hash = `'sha256-${createHash('sha256').update(REPORT_EARLY_SCRIPT, 'utf8').digest('base64')}'`;
    expect(REPORT_EARLY_SCRIPT_CSP).toBe(hash);
    expect(scriptCsp(REPORT_EARLY_SCRIPT)).toBe(hash);
    expect(CSP_DIRECTIVES['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", hash, REPORT_EARLY_FORM_SCRIPT_CSP]);
    expect(scriptCsp(REPORT_EARLY_FORM_SCRIPT)).toBe(REPORT_EARLY_FORM_SCRIPT_CSP);
  });

  it('allows the first screen\'s inline stylesheet by its hash: client/styles.css\'s part, as the build inlines it', () => {
    const style = firstScreenCss(readFileSync('client/styles.css', 'utf8'));
    expect(style).toMatch(/^\/\* report page, first screen: begin \*\/[^]*#report-form\[data-early\] > :not\(\[data-early-part\]\)[^]*first screen: end \*\/$/);
    expect(scriptCsp(style)).toBe(REPORT_EARLY_STYLE_CSP);
    expect(CSP_DIRECTIVES['style-src']).toEqual(["'self'", REPORT_EARLY_STYLE_CSP]);
  });

  it('gives the early form every text its first screen shows, in every worker language, with its direction', async () => {
    const catalogs = await Promise.all(LANGUAGES.map(async (lang) => [lang, directionOf(lang), await WORKER_CATALOGS[lang as keyof typeof WORKER_CATALOGS]()] as const));
    const words = JSON.parse(earlyWordsJson(catalogs)) as Record<string, [string, Record<string, string>]>;
    expect(Object.keys(words)).toEqual(LANGUAGES);
    expect(words.ur![0]).toBe('rtl');
    expect(words.th).toEqual(['ltr', Object.fromEntries(EARLY_WORDS.map((key) => [key, catalogs.find(([lang]) => lang === 'th')![2][key]]))]);
    expect(earlyWordsJson(catalogs)).not.toContain('<');
    expect(earlyWordsJson([['en', 'ltr', { ...catalogs[0]![2], 'report.what': '</script><script>alert(1)' }]])).toContain('\\u003c/script>');
    expect(() => earlyWordsJson([['en', 'ltr', { ...catalogs[0]![2], 'report.what': '' }]])).toThrow(/no report\.what/);
    // Every text of the form's first screen (data-early-part) is one the early form has: none shows empty.
    const html = readFileSync('client/report.html', 'utf8');
    const form = html.slice(html.indexOf('<form id="report-form"'), html.indexOf('</form>'));
    const parts = [...form.matchAll(/<(\w+)[^>]*\sdata-early-part[^>]*>/g)];
    expect(parts.map((m) => m[1])).toEqual(['h1', 'p', 'p', 'div']);
    const fieldEnd = form.indexOf('</div>', parts[3]!.index);
    const shown = [...form.slice(parts[0]!.index, fieldEnd).matchAll(/data-i18n="([\w.]+)"/g)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThanOrEqual(6);
    for (const key of shown) expect(EARLY_WORDS).toContain(key);
    expect(html).toMatch(/<title data-i18n="report\.title">/);
  });

  it('the build reads the worker catalogs in the picker\'s order', () => {
    const modules = workerCatalogModules(readFileSync('client/i18n/worker-catalogs.ts', 'utf8'));
    expect(modules.map(([lang]) => lang)).toEqual(LANGUAGES);
    expect(modules.find(([lang]) => lang === 'zh-CN')?.[1]).toBe('zh-CN.ts');
  });
});
