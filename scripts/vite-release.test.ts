import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { REPORT_EARLY_FORM_SCRIPT, firstScreenCss } from '../common/report-early-script.ts';
import { addIntegrity } from './vite-release.ts';

const files: Record<string, string> = { '/assets/a.js': 'console.log(1)', '/assets/b.css': 'b{}' };
const read = (path: string) => new TextEncoder().encode(files[path] ?? (() => { throw new Error(`no ${path}`); })());
const sri = (text: string) => `sha384-${createHash('sha384').update(text).digest('base64')}`;

describe('Subresource Integrity in the built pages', () => {
  it('adds integrity of the named file to each script and link, keeping the rest of the tag', () => {
    const page = '<script type="module" crossorigin src="/assets/a.js"></script>\n<link rel="stylesheet" href="/assets/b.css" />';
    expect(addIntegrity(page, read, 'x.html')).toBe(
      `<script type="module" crossorigin src="/assets/a.js" integrity="${sri('console.log(1)')}"></script>\n`
      + `<link rel="stylesheet" href="/assets/b.css" integrity="${sri('b{}')}" />`,
    );
  });

  it('leaves a tag that already has integrity as it is', () => {
    const page = '<script src="/assets/a.js" integrity="sha384-given"></script>';
    expect(addIntegrity(page, read, 'x.html')).toBe(page);
  });

  it('stops the build on a script from another origin, an inline script or an inline style, naming the page', () => {
    expect(() => addIntegrity('<script src="https://cdn.example/x.js"></script>', read, 'report.html')).toThrow(/^report\.html: <script> refers to https:\/\/cdn\.example/);
    expect(() => addIntegrity('<script src="//cdn.example/x.js"></script>', read, 'report.html')).toThrow(/outside this origin/);
    expect(() => addIntegrity('<script>alert(1)</script>', read, 'status.html')).toThrow(/^status\.html: an inline <script>/);
    expect(() => addIntegrity('<style>b{}</style>', read, 'team.html')).toThrow(/^team\.html: inline style/);
    expect(() => addIntegrity('<p style="color:red">', read, 'team.html')).toThrow(/inline style/);
  });

  it('lets through only the inline code the CSP names by its hash, and the early words, a data block never run', () => {
    const style = firstScreenCss(readFileSync('client/styles.css', 'utf8'));
    const page = `<style>${style}</style><script>${REPORT_EARLY_FORM_SCRIPT}</script><script type="application/json" id="ombud-early-words">{}</script>`;
    expect(addIntegrity(page, read, 'report.html')).toBe(page);
    expect(() => addIntegrity(`<style>${style} </style>`, read, 'report.html')).toThrow(/^report\.html: inline style/);
    expect(() => addIntegrity(`<style media="all">${style}</style>`, read, 'report.html')).toThrow(/a <style> with attributes/);
    expect(() => addIntegrity('<script type="text/javascript">alert(1)</script>', read, 'report.html')).toThrow(/an inline <script>/);
    expect(() => addIntegrity('<script type="application/json" onload="alert(1)">{}</script>', read, 'report.html')).toThrow(/an inline <script>/);
  });
});
