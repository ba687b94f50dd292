/**
 * The report page's initial JavaScript: the module script and every
 * modulepreload link in the built report.html, each gzipped (level 9) and
 * summed — what a phone downloads before the form works. Chunks loaded later
 * (openpgp, on send) are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The `/assets/…` paths of the module script and modulepreload links, in page order, without duplicates. */
export function initialScripts(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag)?.[1];
    const isModule = /^<script/i.test(tag) && attr('type') === 'module' && attr('src');
    const isPreload = /^<link/i.test(tag) && attr('rel') === 'modulepreload' && attr('href');
    const path = isModule ? attr('src') : isPreload ? attr('href') : undefined;
    if (path && !found.includes(path)) found.push(path);
  }
  return found;
}

export function initialJsGzipBytes(clientDir: string, page = 'report.html'): { bytes: number; files: string[] } {
  const files = initialScripts(readFileSync(join(clientDir, page), 'utf8'));
  const bytes = files.reduce((sum, path) => sum + gzipSync(readFileSync(join(clientDir, path.replace(/^\//, ''))), { level: 9 }).length, 0);
  return { bytes, files };
}

/**
 * What a phone downloads before the form works, in each worker language: the
 * initial JavaScript and that language's catalog, which the page fetches on
 * demand (client/i18n/index.ts). The catalog chunks are named after their
 * module (`assets/<lang>-<hash>.js`); a language without one is an error, not
 * a zero. Returns the largest, and which language it is.
 */
export function firstDownloadGzipBytes(clientDir: string, languages: readonly string[], page = 'report.html'): { bytes: number; lang: string; catalogBytes: number } {
  const initial = initialJsGzipBytes(clientDir, page).bytes;
  const assets = readdirSync(join(clientDir, 'assets'));
  let largest = { bytes: -1, lang: '', catalogBytes: 0 };
  for (const lang of languages) {
    const chunks = assets.filter((name) => new RegExp(`^${lang.replace('-', '\\-')}-[A-Za-z0-9_-]{8}\\.js$`).test(name));
    if (chunks.length === 0) throw new Error(`no catalog chunk for ${lang} in ${clientDir}/assets`);
    const catalogBytes = chunks.reduce((sum, name) => sum + gzipSync(readFileSync(join(clientDir, 'assets', name)), { level: 9 }).length, 0);
    if (initial + catalogBytes > largest.bytes) largest = { bytes: initial + catalogBytes, lang, catalogBytes };
  }
  return largest;
}
