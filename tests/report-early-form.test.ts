/**
 * The early form (common/report-early-script.ts): while the report page's
 * scripts and stylesheets are still on their way — two seconds and more on a
 * worker's phone — the form's first screen is shown from the HTML alone, in
 * the worker's language and direction, and takes text. Nothing can be sent
 * from it. When the page's module is in, the whole form appears around the
 * same text box: what was written, the caret and the focus stay.
 *
 * In Chromium, against the real server and its CSP, with every file under
 * /assets/ held back until the test lets it through.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../common/channel-link.ts';
import { th } from '../client/i18n/th.ts';
import { ur } from '../client/i18n/ur.ts';
import { listenTestServer, type ListeningTestServer } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

let server: ListeningTestServer;
let browser: Browser;

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Held { context: BrowserContext; page: Page; release: () => void; held: () => number; sent: string[]; problems: string[] }

/** A page at `link` whose /assets/ files wait until `release()`; what else it asks for is in `sent`. */
async function openHeld(locale: string, link: string): Promise<Held> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`)));
  const waiting: Route[] = [];
  let open = false;
  await page.route('**/assets/**', (route) => (open ? route.continue() : void waiting.push(route)));
  const sent: string[] = [];
  page.on('request', (request) => { if (!new URL(request.url()).pathname.startsWith('/assets/')) sent.push(`${request.method()} ${new URL(request.url()).pathname}`); });
  await page.goto(link, { waitUntil: 'commit' });
  const release = () => {
    open = true;
    for (const route of waiting.splice(0)) void route.continue();
  };
  return { context, page, release, held: () => waiting.length, sent, problems };
}

const pinned = () => channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]);
const WHOLE = '#report-form:not([hidden]):not([data-early])';

describe('the early form', () => {
  it('shows the first screen in the worker\'s language before any script file, takes text, sends nothing, and keeps the text in the whole form', async () => {
    const { context, page, release, held, sent, problems } = await openHeld('th-TH', pinned());
    try {
      await page.waitForSelector('#report-form[data-early]:not([hidden])', { timeout: 15_000 });
      expect(held()).toBeGreaterThan(0); // the page's scripts and stylesheet are still held: this is the HTML alone
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, document.title])).toEqual(['th', 'ltr', th['report.title']]);
      expect(await page.textContent('#report-form h1')).toBe(th['report.heading']);
      expect(await page.textContent('#report-form .lead')).toBe(th['report.anonymous']);
      expect(await page.textContent('label[for="f-what"]')).toBe(`${th['report.what']} ${th['report.requiredMark']}`);
      expect(await page.textContent('#f-what-hint')).toBe(th['report.whatHint']);
      expect(await page.textContent('#report-loading')).toBe(th['report.loading']);
      expect(await page.isVisible('#report-loading')).toBe(true);
      // Only the first screen: no send button, no other field, nothing empty.
      for (const hidden of ['#send', '#f-when', '#category-grid', '#attach-add', '#report-channel']) expect(await page.isVisible(hidden), hidden).toBe(false);
      // Drawn with the first screen's inline stylesheet (the stylesheet file is held): a full-width box, its border.
      const box = await page.locator('#f-what').evaluate((el) => ({ border: getComputedStyle(el).borderTopWidth, width: el.getBoundingClientRect().width }));
      expect(box.border).toBe('2px');
      expect(box.width).toBeGreaterThan(300);
      await page.screenshot({ path: join(tmpdir(), 'report-early-form-th-360.png'), fullPage: false }).catch(() => undefined);

      // The worker writes at once.
      const sentBefore = sent.length;
      await page.click('#f-what');
      await page.keyboard.type('ประตูห้อง 3 ถูกล็อก');
      await page.keyboard.press('Enter');
      await page.keyboard.type('ตอนกะกลางคืน');
      await page.keyboard.press('ArrowLeft');
      // A submit of the early form does nothing: no navigation, no request, the text still there.
      const url = page.url();
      await page.evaluate(() => (document.getElementById('report-form') as HTMLFormElement).requestSubmit());
      await page.waitForTimeout(300);
      expect(page.url()).toBe(url);
      expect(sent.slice(sentBefore)).toEqual([]);
      const written = 'ประตูห้อง 3 ถูกล็อก\nตอนกะกลางคืน';
      expect(await page.inputValue('#f-what')).toBe(written);

      release();
      await page.waitForSelector(`${WHOLE} #send`, { state: 'visible', timeout: 30_000 });
      expect(await page.textContent('#send')).toBe(th['report.send']);
      expect(await page.isVisible('#report-loading')).toBe(false);
      const kept = await page.locator('#f-what').evaluate((el) => {
        const box = el as HTMLTextAreaElement;
        return { value: box.value, focused: document.activeElement === box, caret: box.selectionStart };
      });
      expect(kept).toEqual({ value: written, focused: true, caret: written.length - 1 });
      // And what the worker types next goes where the caret is.
      await page.keyboard.type('!');
      expect(await page.inputValue('#f-what')).toBe('ประตูห้อง 3 ถูกล็อก\nตอนกะกลางคื!น');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is right to left in Urdu', async () => {
    const { context, page, problems } = await openHeld('ur-PK', pinned());
    try {
      await page.waitForSelector('#report-form[data-early]:not([hidden])', { timeout: 15_000 });
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ur', 'rtl']);
      expect(await page.textContent('#report-form h1')).toBe(ur['report.heading']);
      const { box, label } = await page.evaluate(() => ({
        box: document.getElementById('f-what')!.getBoundingClientRect().right,
        label: document.querySelector('label[for="f-what"] span')!.getBoundingClientRect().right,
      }));
      expect(Math.abs(box - label)).toBeLessThan(8); // the question starts at the right, where the box does
      await page.screenshot({ path: join(tmpdir(), 'report-early-form-ur-360.png') }).catch(() => undefined);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is not shown on a link without pins, which the page refuses when its script is in', async () => {
    const { context, page, release } = await openHeld('en-GB', `${server.url}/r/${server.team.channelSlug}`);
    try {
      await page.waitForFunction(() => document.getElementById('ombud-early-words') !== null);
      await page.waitForTimeout(200);
      expect(await page.isVisible('#report-form')).toBe(false);
      release();
      await page.waitForSelector('#channel-error[data-pins]:not([hidden])', { timeout: 30_000 });
      expect(await page.isVisible('#report-form')).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('gives way to the page\'s word when the channel does not exist: the early form goes, the error stays', async () => {
    const link = channelLink(server.url, 'no-such-channel', [server.team.recovery.privateKey.fingerprint]);
    const { context, page, release } = await openHeld('en-GB', link);
    try {
      await page.waitForSelector('#report-form[data-early]:not([hidden])', { timeout: 15_000 });
      release();
      await page.waitForSelector('#channel-error:not([hidden])', { timeout: 30_000 });
      expect(await page.isVisible('#report-form')).toBe(false);
      expect(await page.isVisible('#report-loading')).toBe(false);
    } finally {
      await context.close();
    }
  });
});
