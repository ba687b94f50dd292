/**
 * Reach: every reporter page works for a worker on a cheap 360 px phone,
 * with a screen reader, or with a keyboard alone, in every language.
 *
 * Against the real server and the built client, in Chromium at 360×740:
 * - axe-core (injected through the DevTools protocol, so the page's CSP
 *   stays on) finds no serious or critical violation on home, report,
 *   receipt, status (token form and open case) and info pages;
 * - nothing is wider than the screen, and every control is at least 44 px
 *   in both directions;
 * - a category is chosen and the form sent with the keyboard alone;
 * - only the catalog of the language shown is downloaded;
 * - Arabic and Hebrew text a worker typed reads right to left.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_LANGUAGES } from '../common/limits.ts';
import { launchBrowser } from './support/browser.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';
import { setUpFirstTeam } from './support/first-team.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'Reach-Test-Password-2026';
const ARABIC = 'أُجبرنا على العمل ليلاً دون أجر إضافي';
const HEBREW = 'עבדנו שעות נוספות בלי תשלום';
const CATALOG_CHUNK = /\/assets\/(en|zh-CN|vi|id|hi|es|th|ms)-[\w-]+\.js$/;

let server: RunningServer;
let browser: Browser;
let clientCopy = '';
let reportLink = '';
let token = '';

async function phone(locale: string): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Visible controls smaller than 44×44 px, and whether anything is wider than the screen. */
async function reachProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page is ${document.documentElement.scrollWidth}px wide`);
    const controls = [...document.querySelectorAll<HTMLElement>('a[href], button, select, input, textarea, summary')].flatMap((el) => {
      const box = el.getBoundingClientRect();
      // A visually hidden input (1×1, e.g. a file picker) is tapped through its label.
      if (box.width <= 1 && box.height <= 1 && el instanceof HTMLInputElement) return [...(el.labels ?? [])];
      return [el];
    });
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown
      if (box.height < 44 || box.width < 44) problems.push(`#${el.id || el.tagName} is ${Math.round(box.width)}×${Math.round(box.height)}`);
      if (box.right > width + 1) problems.push(`#${el.id || el.tagName} sticks out to ${Math.round(box.right)}px`);
    }
    return problems;
  });
}

async function expectReachable(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
  expect(await reachProblems(page)).toEqual([]);
}

/** Presses Tab until the element with this id has focus (the keyboard-only way there). */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
  }
  throw new Error(`Tab never reached #${id}`);
}

beforeAll(async () => {
  // Serve a copy of the build made by the global setup, so a rebuild of dist/client meanwhile cannot pull assets away.
  clientCopy = mkdtempSync(join(tmpdir(), 'ombud-a11y-client-'));
  cpSync('dist/client', clientCopy, { recursive: true });
  server = await startServer({ OMBUD_CLIENT_DIR: clientCopy });
  browser = await launchBrowser();
  const page = await (await phone('en')).newPage();
  reportLink = await setUpFirstTeam(page, server, { username: 'csr.lead', password: PASSWORD });
  await page.context().close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
  if (clientCopy) rmSync(clientCopy, { recursive: true, force: true });
});

describe('the checks themselves', () => {
  it('find an image without text, a tiny button and a page wider than the screen', async () => {
    const context = await phone('en');
    const page = await context.newPage();
    await page.setContent('<html lang="en"><title>t</title><main><img src="data:,"><button>x</button><div style="width:600px">wide</div></main></html>');
    expect((await seriousViolations(page)).map((v) => v.split(' ')[0])).toContain('image-alt');
    expect(await reachProblems(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^page is \d+px wide$/), expect.stringMatching(/^#BUTTON is \d+×\d+$/)]));
    await context.close();
  });
});

describe('reporter pages at 360 px', () => {
  const pages: ReadonlyArray<readonly [name: string, path: () => string, ready: string]> = [
    ['home', () => '/', '#lang-box:not([hidden])'],
    ['report', () => new URL(reportLink).pathname + new URL(reportLink).hash, '#report-form:not([hidden]):not([data-early])'],
    ['status', () => '/status', '#token-form:not([hidden])'],
    ['info for the channel', () => `${new URL(reportLink).pathname}/info`, '#info-channel:not([hidden])'],
    ['info in general', () => '/info', '#lang-box:not([hidden])'],
  ];

  // Every worker language: a script that shapes wider, or a longer text, must still fit 360 px.
  for (const locale of WORKER_LANGUAGES) {
    it.each(pages)(`%s has no serious accessibility problem and fits the screen (${locale})`, async (_name, path, ready) => {
      const context = await phone(locale);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
      await page.goto(`${server.url}${path()}`);
      await page.waitForSelector(ready).catch((error: Error) => {
        throw new Error(`${error.message}\npage errors: ${errors.join('\n')}`);
      });
      expect(errors).toEqual([]);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      await expectReachable(page);
      await context.close();
    });
  }

  it('downloads only the catalog of the language shown, and the next one when the worker picks it', async () => {
    const context = await phone('th-TH');
    const catalogs: string[] = [];
    context.on('request', (request) => {
      const chunk = CATALOG_CHUNK.exec(new URL(request.url()).pathname)?.[1];
      if (chunk) catalogs.push(chunk);
    });
    const page = await context.newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    expect(catalogs).toEqual(['th']);
    expect(await page.textContent('#report-form h1')).toBe('แจ้งปัญหา');
    await page.selectOption('#lang-picker', 'hi');
    await expect.poll(() => page.textContent('#report-form h1')).toBe('समस्या बताएँ');
    expect(await page.getAttribute('html', 'lang')).toBe('hi');
    expect(catalogs).toEqual(['th', 'hi']);
    await context.close();
  });

  it('shows the channel’s teams and time frames on its information page, counted in the worker’s language', async () => {
    const context = await phone('es');
    const page = await context.newPage();
    await page.goto(`${reportLink.split('#')[0]}/info`);
    await page.waitForSelector('#info-channel:not([hidden])');
    expect(await page.textContent('#info-who')).toContain('Brand CSR team');
    expect(await page.textContent('#info-ack')).toMatch(/\d+ días\./);
    expect(await page.getAttribute('#info-report', 'href')).toBe(new URL(reportLink).pathname);
    await context.close();
  });
});

describe('a report and its status with the keyboard alone', () => {
  it('chooses a category, writes, sends and reaches a receipt without problems', async () => {
    const context = await phone('en');
    const page = await context.newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await tabTo(page, 'cat-wages');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#cat-wages', 'aria-pressed')).toBe('true');
    await tabTo(page, 'f-what');
    await page.keyboard.type(ARABIC);
    expect(await page.$eval('#f-what', (el) => getComputedStyle(el).direction)).toBe('rtl');
    await tabTo(page, 'send');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    expect(token).toMatch(/^\d{28}$/);
    // The information page keeps the link's pins, so its way back to the form still has them.
    expect(await page.getAttribute('#receipt-info-link', 'href')).toBe(`${new URL(reportLink).pathname}/info${new URL(reportLink).hash}`);
    await expectReachable(page);
    await context.close();
  });

  it('opens the case, shows right-to-left text right to left, and has no serious problem', async () => {
    const context = await phone('hi');
    const page = await context.newPage();
    await page.goto(`${server.url}/status`);
    await page.waitForSelector('#token-form:not([hidden])');
    await page.keyboard.type(token); // the token input has focus when the page opens
    await page.keyboard.press('Enter');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 90_000 });
    const arabic = page.locator('#own-report dd', { hasText: ARABIC });
    expect(await arabic.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await page.fill('#reply-text', HEBREW);
    await page.click('#reply-send');
    const hebrew = page.locator('#thread .message-text', { hasText: HEBREW });
    await hebrew.waitFor({ timeout: 60_000 });
    expect(await hebrew.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await expectReachable(page);
    await context.close();
  });
});
