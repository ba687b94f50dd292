/**
 * The report page's initial JavaScript: the module script and every
 * modulepreload link in the built report.html, each gzipped (level 9) and
 * summed — what a phone downloads before the form works. Chunks loaded later
 * (openpgp, on send) are not counted.
 */
import { readFileSync } from 'node:fs';
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
