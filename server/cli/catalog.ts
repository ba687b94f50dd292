/**
 * `npm run ombud -- catalog export|import`: the worker catalogs
 * (client/i18n/<lang>.ts) to and from gettext PO, so that an NGO or a brand
 * corrects or adds a language in a translation tool (Weblate, Poedit)
 * without touching code.
 *
 * - Each text is one PO entry: msgctxt is the key, msgid the English text,
 *   msgstr the translation. A counted text (`key.one`, `key.other`, …) is one
 *   plural entry whose msgstr[i] follow the language's plural categories
 *   (Intl.PluralRules, in CLDR order zero, one, two, few, many, other) —
 *   those an integer count from 0 to 1000 can select, since the pages count
 *   minutes, days and files.
 * - Import checks everything before writing anything, and refuses, naming
 *   the key, a file with missing or extra keys, an empty translation,
 *   placeholders ({name}) that differ from the English, the wrong number of
 *   plural forms, or markup, script, control or bidirectional-override
 *   characters in a text. Then it writes client/i18n/<lang>.ts whole (a
 *   temporary file renamed over it), or nothing.
 *
 * It works on the source tree (the catalogs are TypeScript that Vite
 * bundles), so it runs from a checkout with the development tools, not from
 * a production install; the built pages change at the next `npm run build`.
 * Parsing and writing PO is gettext-parser's, not ours.
 */
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { po as gettextPo, type GetTextTranslation, type GetTextTranslations } from 'gettext-parser';
import { EXIT, parseOptions, UsageError, writeFileAtomically, type CliOutput } from './io.ts';

export const HELP = `Usage: npm run ombud -- catalog export --lang LANG [--format po] > LANG.po
       npm run ombud -- catalog import FILE.po [--dry-run]

The worker pages' texts in one language as a gettext PO file, for a
translation tool (Weblate, Poedit, …), and back. Export writes to standard
output. Import reads the language from the file's "Language:" header, checks
every text against the English catalog (every key present and no other, the
same {placeholders}, the language's plural forms, no markup, scripts or
control characters), and only then writes client/i18n/LANG.ts; on any problem
it names the key and changes nothing. --dry-run checks without writing.

A new language also needs a line in client/i18n/index.ts (WORKER_CATALOGS,
LANGUAGE_NAMES) and common/limits.ts WORKER_LANGUAGES; import says which.
Only PO is supported for now (XLIFF 2 is not: use a tool's PO mode).
`;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CATALOG_DIR = join(ROOT, 'client', 'i18n');
const PLURAL_ORDER = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
const LANG_TAG = /^[a-z]{2,3}(-[A-Z]{2})?$/;

type Catalog = Record<string, string>;

export class CatalogError extends Error {
  override name = 'CatalogError';
}

/** The plural categories an integer count 0…1000 selects in `lang`, in CLDR order. */
export function pluralCategories(lang: string): string[] {
  const rules = new Intl.PluralRules(lang);
  const seen = new Set<string>();
  for (let n = 0; n <= 1000; n++) seen.add(rules.select(n));
  return PLURAL_ORDER.filter((c) => seen.has(c));
}

/** A gettext Plural-Forms header for the two shapes our languages have; other shapes get none (the tool asks). */
function pluralFormsHeader(lang: string): string | undefined {
  const categories = pluralCategories(lang);
  if (categories.length === 1) return 'nplurals=1; plural=0;';
  if (categories.join() === 'one,other') {
    const rules = new Intl.PluralRules(lang);
    return rules.select(0) === 'one' ? 'nplurals=2; plural=(n > 1);' : 'nplurals=2; plural=(n != 1);';
  }
  return undefined;
}

/** `key.one` → `key` for a counted text, else undefined. */
const pluralBase = (key: string) => /^(.+)\.(zero|one|two|few|many|other)$/.exec(key)?.[1];

/** The module's export name of a catalog: en, zhCN, ptBR. */
export const exportName = (lang: string) => lang.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/-/g, '');

async function loadCatalog(lang: string): Promise<Catalog | undefined> {
  const file = join(CATALOG_DIR, `${lang}.ts`);
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as Record<string, Catalog>;
  const catalog = module[exportName(lang)];
  if (!catalog) throw new CatalogError(`client/i18n/${lang}.ts does not export ${exportName(lang)}`);
  return catalog;
}

/** The English catalog's keys: single texts, and counted texts by their base. */
function shape(en: Catalog): { singles: string[]; plurals: string[] } {
  // A counted text has `.other` and at least one more form: `cat.other` alone is the category "Something else".
  const plurals = [...new Set(Object.keys(en).flatMap((key) => (/\.(zero|one|two|few|many)$/.test(key) ? pluralBase(key)! : [])))].filter(
    (base) => `${base}.other` in en,
  );
  const singles = Object.keys(en).filter((key) => !pluralBase(key) || !plurals.includes(pluralBase(key)!));
  return { singles, plurals };
}

/** A catalog as a PO file (text). */
export function catalogToPo(lang: string, en: Catalog, catalog: Catalog | undefined): string {
  const { singles, plurals } = shape(en);
  const categories = pluralCategories(lang);
  const headers: Record<string, string> = {
    'Project-Id-Version': 'Ombud worker pages',
    Language: lang,
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Transfer-Encoding': '8bit',
    'X-Plural-Categories': categories.join(', '),
  };
  const formula = pluralFormsHeader(lang);
  if (formula) headers['Plural-Forms'] = formula;
  const translations: Record<string, Record<string, GetTextTranslation>> = { '': { '': { msgid: '', msgstr: [] } } };
  for (const key of singles) {
    translations[key] = { [en[key]!]: { msgctxt: key, msgid: en[key]!, msgstr: [catalog?.[key] ?? ''] } };
  }
  for (const base of plurals) {
    const one = en[`${base}.one`] ?? en[`${base}.other`]!;
    translations[base] = {
      [one]: {
        msgctxt: base,
        msgid: one,
        msgid_plural: en[`${base}.other`]!,
        msgstr: categories.map((c) => catalog?.[`${base}.${c}`] ?? catalog?.[`${base}.other`] ?? ''),
        comments: { extracted: `plural forms in this order: ${categories.join(', ')}`, translator: '', reference: '', flag: '', previous: '' },
      },
    };
  }
  return gettextPo.compile({ charset: 'utf-8', headers, translations }, { foldLength: 0 }).toString('utf8');
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(', ');

/** Markup, script or characters that can hide or reorder text: never in a translation. */
function unsafe(text: string): string | undefined {
  if (/<\s*[a-z!/?]/i.test(text)) return 'markup (<…>)';
  if (/javascript:|data:text\/html|\bon[a-z]+\s*=/i.test(text)) return 'script';
  if (/&[a-z#0-9]+;/i.test(text)) return 'an HTML entity';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text)) return 'a control character';
  if (/[\u202a-\u202e\u2066-\u2069]/.test(text)) return 'a bidirectional override';
  return undefined;
}

/** Parses and checks a PO file against the English catalog: the catalog to write, or a CatalogError naming every problem's key. */
export function poToCatalog(po: string | Buffer, en: Catalog): { lang: string; catalog: Catalog } {
  let parsed: GetTextTranslations;
  try {
    parsed = gettextPo.parse(po, { defaultCharset: 'utf-8', validation: true });
  } catch (error) {
    throw new CatalogError(`refused, nothing was changed: not a valid PO file: ${(error as Error).message}`);
  }
  const lang = parsed.headers['Language'] ?? parsed.headers['language'] ?? '';
  if (!LANG_TAG.test(lang)) throw new CatalogError(`the file's "Language:" header must be a language tag such as "bn" or "pt-BR", not "${lang}"`);
  const { singles, plurals } = shape(en);
  const categories = pluralCategories(lang);
  const problems: string[] = [];
  const entries = new Map<string, GetTextTranslation>();
  for (const [context, byId] of Object.entries(parsed.translations)) {
    for (const entry of Object.values(byId) as GetTextTranslation[]) {
      if (context === '' && entry.msgid === '') continue; // the header
      if (context === '') problems.push(`an entry without a key (msgctxt): "${entry.msgid.slice(0, 40)}"`);
      else if (entries.has(context)) problems.push(`${context}: appears twice`);
      else entries.set(context, entry);
    }
  }
  const known = new Set([...singles, ...plurals]);
  for (const key of entries.keys()) if (!known.has(key)) problems.push(`${key}: not a key of the worker pages (extra)`);
  const catalog: Catalog = {};
  const check = (key: string, text: string, english: string) => {
    if (text.trim() === '') return problems.push(`${key}: not translated (empty)`);
    if (placeholders(text) !== placeholders(english)) {
      return problems.push(`${key}: placeholders {${placeholders(text)}} differ from the English {${placeholders(english)}}`);
    }
    const bad = unsafe(text);
    if (bad) return problems.push(`${key}: contains ${bad}`);
    catalog[key] = text;
  };
  for (const key of singles) {
    const entry = entries.get(key);
    if (!entry) problems.push(`${key}: missing`);
    else if (entry.msgid_plural !== undefined) problems.push(`${key}: is a single text, not a counted (plural) one`);
    else if (entry.msgstr.length !== 1) problems.push(`${key}: has ${entry.msgstr.length} translations, expected 1`);
    else check(key, entry.msgstr[0]!, en[key]!);
  }
  for (const base of plurals) {
    const entry = entries.get(base);
    if (!entry) {
      problems.push(`${base}: missing`);
      continue;
    }
    if (entry.msgid_plural === undefined) {
      problems.push(`${base}: must be a counted (plural) text`);
      continue;
    }
    if (entry.msgstr.length !== categories.length) {
      problems.push(`${base}: has ${entry.msgstr.length} plural forms, ${lang} has ${categories.length} (${categories.join(', ')})`);
      continue;
    }
    categories.forEach((category, i) => check(`${base}.${category}`, entry.msgstr[i]!, en[`${base}.${category}`] ?? en[`${base}.other`]!));
    // The pages' catalogs all carry English's forms; a language without `one` shows `other` there.
    for (const form of Object.keys(en).filter((k) => pluralBase(k) === base)) catalog[form] ??= catalog[`${base}.other`]!;
  }
  if (problems.length > 0) throw new CatalogError(`refused, nothing was changed:\n  ${problems.join('\n  ')}`);
  const ordered: Catalog = {};
  for (const key of Object.keys(en)) ordered[key] = catalog[key]!;
  for (const key of Object.keys(catalog)) ordered[key] ??= catalog[key]!;
  return { lang, catalog: ordered };
}

/** The catalog as the TypeScript module the pages import. */
export function catalogModule(lang: string, catalog: Catalog): string {
  const lines = Object.entries(catalog).map(([key, text]) => `  ${JSON.stringify(key).replace(/^"|"$/g, "'")}: ${JSON.stringify(text)},`);
  return [
    '/**',
    ` * ${lang} catalog for the worker-facing pages, imported from a PO file`,
    ' * (npm run ombud -- catalog import). Glossary and register: docs/translations.md.',
    ' */',
    "import type { MessageKey } from './en.ts';",
    '',
    `export const ${exportName(lang)}: Readonly<Record<MessageKey, string>> = {`,
    ...lines,
    '};',
    '',
  ].join('\n');
}

export async function runCatalog(args: readonly string[], io: CliOutput, catalogDir = CATALOG_DIR): Promise<number> {
  const [action, ...rest] = args;
  const en = await loadCatalog('en');
  if (!en) throw new CatalogError('client/i18n/en.ts is missing: run this from a checkout of the sources');
  if (action === 'export') {
    const options = parseOptions(rest, { lang: { type: 'string' }, format: { type: 'string' } });
    if (options.format !== undefined && options.format !== 'po') throw new UsageError(`--format ${options.format}: only po is supported (try --help)`);
    if (!options.lang || !LANG_TAG.test(options.lang)) throw new UsageError('catalog export needs --lang, a language tag such as bn or pt-BR (try --help)');
    const catalog = await loadCatalog(options.lang);
    io.out(catalogToPo(options.lang, en, catalog).trimEnd());
    return EXIT.ok;
  }
  if (action === 'import') {
    const files = rest.filter((a) => !a.startsWith('-'));
    const options = parseOptions(rest.filter((a) => a.startsWith('-')), { 'dry-run': { type: 'boolean' } });
    if (files.length !== 1) throw new UsageError('catalog import needs one PO file (try --help)');
    let result: { lang: string; catalog: Catalog };
    try {
      result = poToCatalog(readFileSync(files[0]!), en);
    } catch (error) {
      if (!(error instanceof CatalogError)) throw error;
      io.err(error.message);
      return EXIT.failed;
    }
    const { lang, catalog } = result;
    if (lang === 'en') {
      io.err('refused: English is the reference catalog; change client/i18n/en.ts itself');
      return EXIT.failed;
    }
    const target = join(catalogDir, `${lang}.ts`);
    const isNew = !existsSync(target);
    if (options['dry-run']) {
      io.out(`${lang}: ${Object.keys(catalog).length} texts checked, nothing written (--dry-run)`);
      return EXIT.ok;
    }
    const text = catalogModule(lang, catalog);
    writeFileAtomically(target, 0o644, (fd) => writeSync(fd, text));
    io.out(`${lang}: ${Object.keys(catalog).length} texts written to client/i18n/${lang}.ts`);
    if (isNew) {
      io.out(`A new language: also add "${lang}" to common/limits.ts WORKER_LANGUAGES and client/i18n/index.ts (WORKER_CATALOGS, LANGUAGE_NAMES), and its poster texts in client/team/poster/i18n/.`);
    }
    return EXIT.ok;
  }
  throw new UsageError('catalog needs export or import (try --help)');
}
