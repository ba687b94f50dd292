/**
 * `ombud catalog export|import`: every worker catalog survives a round trip
 * through PO unchanged; a bad PO file is refused with the key named, and
 * nothing is written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/en.ts';
import { WORKER_CATALOGS } from '../../client/i18n/index.ts';
import { catalogToPo, pluralCategories, poToCatalog, runCatalog } from './catalog.ts';
import { runOmbud } from './ombud.ts';

const catalogs = await Promise.all(Object.entries(WORKER_CATALOGS).map(async ([lang, load]) => [lang, await load()] as const));
const bn = catalogs.find(([lang]) => lang === 'bn')![1];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** The bn PO file with one entry's msgstr (or more) edited. */
function bnPoWith(edit: (po: string) => string): string {
  return edit(catalogToPo('bn', en, bn));
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-catalog-'));
  dirs.push(dir);
  return dir;
}

describe('catalog export and import', () => {
  it.each(catalogs.filter(([lang]) => lang !== 'en'))('%s survives export → import unchanged', (lang, catalog) => {
    const { lang: back, catalog: imported } = poToCatalog(catalogToPo(lang, en, catalog), en);
    expect(back).toBe(lang);
    expect(imported).toEqual({ ...catalog });
  });

  it('takes plural categories from Intl.PluralRules: one form for Khmer, two for Bengali', () => {
    expect(pluralCategories('km')).toEqual(['other']);
    expect(pluralCategories('bn')).toEqual(['one', 'other']);
    const km = catalogToPo('km', en, undefined);
    expect(km).toContain('Plural-Forms: nplurals=1; plural=0;');
    expect(catalogToPo('bn', en, bn)).toContain('Plural-Forms: nplurals=2; plural=(n > 1);');
  });

  it.each([
    ['a missing key', (po: string) => po.replace(/msgctxt "home\.heading"\nmsgid "[^"]*"\nmsgstr "[^"]*"\n/, ''), 'home.heading: missing'],
    ['an extra key', (po: string) => `${po}\nmsgctxt "home.secret"\nmsgid "x"\nmsgstr "y"\n`, 'home.secret: not a key of the worker pages (extra)'],
    ['a broken placeholder', (po: string) => po.replace('যাচাই… {percent}%', 'যাচাই… {percnt}%'), 'progress.pow: placeholders {percnt} differ from the English {percent}'],
    ['an empty translation', (po: string) => po.replace(/(msgctxt "report\.send"\nmsgid "[^"]*"\nmsgstr )"[^"]*"/, '$1""'), 'report.send: not translated (empty)'],
    ['markup', (po: string) => po.replace('"তালা দিয়ে পাঠান"', '"<b>তালা</b> দিয়ে পাঠান"'), 'report.send: contains markup'],
    ['a script', (po: string) => po.replace('"তালা দিয়ে পাঠান"', '"<script>alert(1)</script>"'), 'report.send: contains markup'],
    ['an event handler', (po: string) => po.replace('"তালা দিয়ে পাঠান"', '"x onerror=alert(1)"'), 'report.send: contains script'],
    ['a bidirectional override', (po: string) => po.replace('"তালা দিয়ে পাঠান"', '"\u202eতালা"'), 'report.send: contains a bidirectional override'],
    ['the wrong number of plural forms', (po: string) => po.replace(/(msgctxt "status\.tooMany"[\s\S]*?msgstr\[1\] "[^"]*"\n)/, '$1msgstr[2] "x"\n'), 'Expected to find 2 forms but got 3 for entry "Too many tries. Please wait {count} minutes, then try again." in "status.tooMany" context'],
    ['plural forms that disagree with the language, even when the header agrees', (po: string) =>
      po.replace('nplurals=2; plural=(n > 1);', 'nplurals=3; plural=(n > 1);').replace(/(msgstr\[1\] "[^"]*"\n)/g, '$1msgstr[2] "x"\n'),
      'status.tooMany: has 3 plural forms, bn has 2 (one, other)'],
  ])('refuses %s, naming the key, and writes nothing', async (_what, edit, message) => {
    const dir = tempDir();
    const target = join(dir, 'bn.ts');
    writeFileSync(target, 'export const bn = {}; // before\n');
    const file = join(dir, 'bn.po');
    writeFileSync(file, bnPoWith(edit));
    const { io, err } = capture();
    expect(await runCatalog(['import', file], io, dir)).toBe(1);
    expect(err.join('\n')).toContain('refused, nothing was changed');
    expect(err.join('\n')).toContain(message);
    expect(readFileSync(target, 'utf8')).toBe('export const bn = {}; // before\n');
  });

  it('refuses a file that is not PO, or has no language', () => {
    expect(() => poToCatalog('this is not a po file "', en)).toThrow(/not a valid PO file|Language/);
    expect(() => poToCatalog(catalogToPo('bn', en, bn).replace('Language: bn', 'Language: '), en)).toThrow(/"Language:" header/);
  });

  it('writes a whole catalog module that the pages can import, equal to what was exported', async () => {
    const dir = tempDir();
    const file = join(dir, 'bn.po');
    writeFileSync(file, catalogToPo('bn', en, bn));
    const { io, out } = capture();
    expect(await runCatalog(['import', file], io, dir)).toBe(0);
    expect(out.join('\n')).toContain('written to client/i18n/bn.ts');
    expect(out.join('\n')).toContain('A new language');
    const written = (await import(pathToFileURL(join(dir, 'bn.ts')).href)) as { bn: Record<string, string> };
    expect(written.bn).toEqual({ ...bn });
  });

  it('--dry-run checks without writing', async () => {
    const dir = tempDir();
    const file = join(dir, 'bn.po');
    writeFileSync(file, catalogToPo('bn', en, bn));
    const { io } = capture();
    expect(await runCatalog(['import', file, '--dry-run'], io, dir)).toBe(0);
    expect(existsSync(join(dir, 'bn.ts'))).toBe(false);
  });

  it('is an ombud command that needs no deployment configuration', async () => {
    const { io, out } = capture();
    const env = () => {
      throw new Error('configuration read');
    };
    expect(await runOmbud(['catalog', 'export', '--lang', 'my'], env, io)).toBe(0);
    expect(poToCatalog(out.join('\n'), en).lang).toBe('my');
    const usage = capture();
    expect(await runOmbud(['catalog', 'export', '--lang', 'my', '--format', 'xliff'], env, usage.io)).toBe(2);
    expect(usage.err.join('\n')).toContain('only po is supported');
  });
});
