/**
 * docs/threat-model.md stays honest about its evidence: every claim names at
 * least one test file, every named test file exists, and every test quoted
 * after a file ("…" marks a shortened name) is a test in the files that row
 * names.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Row {
  number: string;
  backedBy: string;
}

function rows(): Row[] {
  const text = readFileSync('docs/threat-model.md', 'utf8');
  return text.split('\n')
    .filter((line) => /^\| \d+ \| /.test(line))
    .map((line) => {
      const cells = line.slice(1, -1).split(' | ');
      return { number: cells[0]!.trim(), backedBy: cells.at(-1)!.trim() };
    });
}

/** `crypto/token.test.ts`, and folders like `client/voice/*.test.ts`, as named in a cell. */
function filesIn(cell: string): string[] {
  return [...cell.matchAll(/`([^`\s]+\.test\.ts)`/g)].map((m) => m[1]!);
}

function expand(pattern: string): string[] {
  if (!pattern.includes('*')) return [pattern];
  const dir = pattern.slice(0, pattern.lastIndexOf('/'));
  const suffix = pattern.slice(pattern.lastIndexOf('*') + 1);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).filter((name) => name.endsWith(suffix)).map((name) => join(dir, name));
}

/** Quoted test names: "…" at either end or inside marks an elision; keep the longest plain piece. */
function quotedNames(cell: string): string[] {
  return [...cell.matchAll(/"([^"]{6,})"/g)]
    .map((m) => m[1]!.split('…').map((piece) => piece.trim()).sort((a, b) => b.length - a.length)[0]!)
    .filter((piece) => piece.length >= 6);
}

describe('the threat model', () => {
  it('backs every claim with test files that exist', () => {
    const all = rows();
    expect(all.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const row of all) {
      const files = filesIn(row.backedBy);
      if (files.length === 0) problems.push(`row ${row.number}: no test file named`);
      for (const file of files) if (expand(file).filter((f) => existsSync(f)).length === 0) problems.push(`row ${row.number}: ${file} does not exist`);
    }
    expect(problems).toEqual([]);
  });

  it('quotes only tests that exist in the files a row names', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const row of rows()) {
      const sources = filesIn(row.backedBy).flatMap(expand).filter((f) => existsSync(f))
        .map((f) => readFileSync(f, 'utf8').replace(/\\'/g, "'").replace(/’/g, "'"));
      for (const name of quotedNames(row.backedBy)) {
        const wanted = name.replace(/’/g, "'");
        if (!sources.some((source) => source.includes(wanted))) problems.push(`row ${row.number}: "${name}" is not a test there`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });
});
