/**
 * Scripts that render: every worker page, in every worker language, in
 * Chromium at 360 px with the fonts of scripts/ensure-system-deps.sh (the
 * Noto families a cheap Android phone ships), shows no missing glyph and
 * cuts no text off.
 *
 * - A missing glyph ("tofu"): each character of the visible text is drawn
 *   on a canvas in its element's own font (the same fallback the page
 *   uses), and its pixels compared with those of a character no font has
 *   (U+10FFFD). Identical pixels: the page shows a box there. Combining
 *   marks and format characters are drawn with the letter before them.
 * - Text cut off: the page wider than the screen, an element sticking out
 *   of it, or an element that clips its overflow (hidden, clip, ellipsis)
 *   holding more than it shows.
 * The language is the worker's own pick (sessionStorage, as the picker
 * stores it), so a channel's default language does not replace it.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_LANGUAGES } from '../common/limits.ts';
import { WORKSPACE_LANGUAGES } from '../common/workspace-languages.ts';
import { ROUTES } from '../client/team/routes.ts';
import { launchBrowser } from './support/browser.ts';
import { setUpFirstTeam, signIn } from './support/first-team.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let clientCopy = '';
let reportLink = '';
const LEAD = { username: 'scripts.lead', password: 'Scripts-Test-Password-2026' };

async function phoneIn(lang: string): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: lang, viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
  await context.addInitScript((picked) => {
    try {
      sessionStorage.setItem('ombud.lang', picked);
    } catch {
      // storage off: the test then sees the phone's language
    }
  }, lang);
  return context;
}

/** Characters of the visible text that render as a missing-glyph box, with where. */
async function tofu(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const pixels = (text: string, font: string) => {
      ctx.clearRect(0, 0, 64, 64);
      ctx.font = font;
      ctx.textBaseline = 'middle';
      ctx.fillText(text, 8, 32);
      return ctx.getImageData(0, 0, 64, 64).data.join();
    };
    const boxes = new Map<string, string>();
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement!;
      if (!el.checkVisibility?.() || el.closest('script, style, [hidden], [aria-hidden="true"] svg')) continue;
      const style = getComputedStyle(el);
      const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      if (!boxes.has(font)) boxes.set(font, pixels('\u{10FFFD}', font));
      for (const { segment } of segmenter.segment(node.textContent ?? '')) {
        if (/^[\s\p{Cf}\p{Cc}]*$/u.test(segment)) continue;
        // A cluster whose base letter is missing draws as one box; marks alone are drawn with their letter.
        const base = [...segment][0]!;
        if (pixels(base, font) === boxes.get(font)) found.push(`“${segment}” (U+${base.codePointAt(0)!.toString(16).toUpperCase()}) in <${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}>`);
      }
    }
    return [...new Set(found)];
  });
}

/** Text that does not fit: the page wider than the screen, elements sticking out, clipped overflow. */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page is ${document.documentElement.scrollWidth}px wide`);
    const name = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}>`;
    for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
      if (!el.checkVisibility?.() || !(el.textContent ?? '').trim() || el.closest('svg')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 1 || box.left < -1) problems.push(`${name(el)} sticks out (${Math.round(box.left)}…${Math.round(box.right)}px)`);
      const style = getComputedStyle(el);
      const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
      if (clips && el.scrollWidth > el.clientWidth + 1 && !['auto', 'scroll'].includes(style.overflowX)) {
        problems.push(`${name(el)} cuts its text off (${el.scrollWidth} > ${el.clientWidth}px)`);
      }
    }
    return problems;
  });
}

beforeAll(async () => {
  clientCopy = mkdtempSync(join(tmpdir(), 'ombud-scripts-client-'));
  cpSync('dist/client', clientCopy, { recursive: true });
  server = await startServer({ OMBUD_CLIENT_DIR: clientCopy });
  browser = await launchBrowser();
  const context = await browser.newContext();
  reportLink = await setUpFirstTeam(await context.newPage(), server, LEAD);
  await context.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
  if (clientCopy) rmSync(clientCopy, { recursive: true, force: true });
});

describe('the checks themselves', () => {
  it('find a box for a character no font has, and for the emoji this Chromium cannot draw; none for Latin or Bengali', async () => {
    const context = await phoneIn('en');
    const page = await context.newPage();
    await page.setContent('<html lang="en"><body><p id="a">Report \u{10FFFD}</p><p id="b">🌐 Language</p><p id="c">অভিযোগ নম্বর</p></body></html>');
    const found = await tofu(page);
    expect(found.some((f) => f.includes('U+10FFFD') && f.includes('#a'))).toBe(true);
    expect(found.some((f) => f.includes('U+1F310') && f.includes('#b'))).toBe(true);
    expect(found.filter((f) => f.includes('#c') || /U+(52|65)\b/.test(f))).toEqual([]);
    await context.close();
  });

  it('find a page wider than the screen and a text cut off', async () => {
    const context = await phoneIn('en');
    const page = await context.newPage();
    await page.setContent('<html lang="en"><body><p style="width:500px">wide</p><p id="clip" style="width:50px;overflow:hidden;white-space:nowrap">a long text that does not fit</p></body></html>');
    const problems = await cutOff(page);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^page is \d+px wide$/), expect.stringMatching(/#clip.*cuts its text off/)]));
    await context.close();
  });
});

describe('worker pages at 360 px', () => {
  const pages: ReadonlyArray<readonly [name: string, path: () => string, ready: string]> = [
    ['home', () => '/', '#lang-box:not([hidden])'],
    ['report', () => new URL(reportLink).pathname + new URL(reportLink).hash, '#report-form:not([hidden]):not([data-early])'],
    ['status', () => '/status', '#token-form:not([hidden])'],
    ['info', () => `${new URL(reportLink).pathname}/info`, '#info-channel:not([hidden])'],
  ];

  it.each(WORKER_LANGUAGES)('%s: every page draws every character and fits the screen', async (lang) => {
    const context = await phoneIn(lang);
    const problems: string[] = [];
    for (const [name, path, ready] of pages) {
      const page = await context.newPage();
      await page.goto(`${server.url}${path()}`);
      await page.waitForSelector(ready);
      expect(await page.getAttribute('html', 'lang'), name).toBe(lang);
      expect(await page.getAttribute('html', 'dir'), name).toBe(lang === 'ur' ? 'rtl' : 'ltr');
      problems.push(...(await tofu(page)).map((p) => `${name}: missing glyph ${p}`));
      problems.push(...(await cutOff(page)).map((p) => `${name}: ${p}`));
      await page.close();
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});

/**
 * The investigators' workspace in every workspace language, at a desk's
 * 1280 px: every view (the case view needs a case and is walked by
 * workspace-i18n.test.ts) draws every character, and no page is wider than
 * the screen. Tables may shorten long user data on purpose, so the clipping
 * check of the worker pages is not applied here.
 */
describe('the workspace at 1280 px', () => {
  it.each(WORKSPACE_LANGUAGES)('%s: every view draws every character and fits the screen', async (lang) => {
    const context = await browser.newContext({ locale: lang, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await signIn(page, server.url, LEAD);
    // The account keeps the language chosen last: choose this one, as an investigator would.
    if ((await page.getAttribute('html', 'lang')) !== lang) await page.selectOption('#team-lang', lang);
    await page.waitForFunction((wanted) => document.documentElement.lang === wanted, lang);
    expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ur' ? 'rtl' : 'ltr');
    const problems: string[] = (await tofu(page)).map((p) => `inbox: missing glyph ${p}`);
    for (const route of ROUTES.filter((r) => r.name !== 'case')) {
      await page.evaluate((hash) => { location.hash = hash; }, `#/${route.name}`);
      await page.waitForSelector(`#${route.view}:not([hidden])`);
      problems.push(...(await tofu(page)).map((p) => `${route.name}: missing glyph ${p}`));
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (wide > 0) problems.push(`${route.name}: page ${wide}px wider than the screen`);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
