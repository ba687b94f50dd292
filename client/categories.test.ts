/** The category pictograms: one simple SVG file per category, safe under the pages' CSP. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, isCategoryKey } from './categories.ts';

const iconsDir = fileURLToPath(new URL('./icons/', import.meta.url));

describe('category pictograms', () => {
  it.each(CATEGORIES.map((c) => [c.key, c.pictogram]))('%s has its own SVG file in client/icons/', (key, pictogram) => {
    expect(fileURLToPath(pictogram)).toBe(`${iconsDir}${key}.svg`);
  });

  it('has no icon file without a category', () => {
    expect(readdirSync(iconsDir).filter((name) => !isCategoryKey(name.replace(/\.svg$/, '')))).toEqual([]);
  });

  it.each(readdirSync(iconsDir))('%s is a 48×48 monochrome SVG with no style, script or outside reference', (name) => {
    const svg = readFileSync(`${iconsDir}${name}`, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 48 48"/);
    expect(svg).not.toMatch(/style|<script|href|url\(|on\w+=/i);
    const colours = new Set([...svg.matchAll(/(?:stroke|fill)="(#[0-9a-f]{3,6})"/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...colours]).toEqual(['#111827']);
  });

  it('keeps sexual harassment apart from unfair treatment, and recruitment fees or debt apart from pay', () => {
    const keys = CATEGORIES.map((c) => c.key);
    expect(keys).toContain('sexual_harassment');
    expect(keys).toContain('recruitment_fees');
    // Beside the category each is nearest to on the form, so a worker looking there finds it.
    expect(keys.indexOf('sexual_harassment')).toBe(keys.indexOf('discrimination') + 1);
    expect(keys.indexOf('recruitment_fees')).toBe(keys.indexOf('forced_labour') + 1);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses a category key it does not have', () => {
    expect(isCategoryKey('sexual_harassment')).toBe(true);
    expect(isCategoryKey('recruitment_fees')).toBe(true);
    for (const unknown of ['', 'harassment', 'Recruitment_fees', 'constructor', 'toString', '__proto__']) expect(isCategoryKey(unknown)).toBe(false);
  });
});
