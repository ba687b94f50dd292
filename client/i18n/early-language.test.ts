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
import { REPORT_EARLY_SCRIPT, REPORT_EARLY_SCRIPT_CSP, catalogsMeta } from '../../common/report-early-script.ts';
import { scriptCsp, workerCatalogModules } from '../../scripts/report-early.ts';
import { pickLanguage } from './core.ts';
import { WORKER_CATALOGS } from './worker-catalogs.ts';
import { readFileSync } from 'node:fs';

const LANGUAGES = Object.keys(WORKER_CATALOGS);
const META = catalogsMeta(LANGUAGES.map((lang) => [lang, [`/assets/${lang}-x.js`]] as const));
const META_CONTENT = /content="([^"]*)"/.exec(META)![1]!;

interface Run { preloaded: string[]; fetched: Array<{ url: string; init: unknown }>; handedOver: boolean }

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
  return { preloaded, fetched, handedOver: 'ombudFirstChannel' in window };
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
      expect(run(c).preloaded).toEqual([`/assets/${lang}-x.js`]);
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
    expect(CSP_DIRECTIVES['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", hash]);
  });

  it('the build reads the worker catalogs in the picker\'s order', () => {
    const modules = workerCatalogModules(readFileSync('client/i18n/worker-catalogs.ts', 'utf8'));
    expect(modules.map(([lang]) => lang)).toEqual(LANGUAGES);
    expect(modules.find(([lang]) => lang === 'zh-CN')?.[1]).toBe('zh-CN.ts');
  });
});
