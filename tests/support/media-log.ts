/**
 * A page that logs every media event and refuses every request to another
 * origin (the sound must never leave the phone), and a press of a block's
 * listen control that waits until it stopped: what the recorded-prompt
 * journey and its lying-server flow both observe.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface MediaLog {
  events: Array<{ type: string; src: string }>;
}

/** A fresh page on `origin`; URLs of other origins it asked for are pushed to `foreign` (and refused). */
export async function mediaLoggingPage(browser: Browser, origin: string, foreign: string[], viewport = { width: 360, height: 740 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== origin && !url.startsWith('blob:') && !url.startsWith('data:')) {
      foreign.push(url);
      return route.abort();
    }
    return route.fallback();
  });
  await context.addInitScript(() => {
    const log: MediaLog = { events: [] };
    (window as unknown as { mediaLog: MediaLog }).mediaLog = log;
    for (const type of ['play', 'playing', 'ended', 'error']) {
      document.addEventListener(type, (event) => log.events.push({ type, src: (event.target as HTMLMediaElement).currentSrc }), true);
    }
  });
  return context.newPage();
}

/**
 * Presses the control after `block` and waits until it failed, or stopped after at least two clips ended;
 * resolves with what played, in order, whether the block was marked as recorded, and whether it failed.
 */
export async function listenTo(page: Page, block: string): Promise<{ sources: string[]; marked: boolean; failed: boolean }> {
  await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
  const button = page.locator(`${block} + [data-listen-button]`);
  await button.click();
  await expect.poll(() => button.evaluate((b) => {
    const events = (window as unknown as { mediaLog: MediaLog }).mediaLog.events;
    return b.hasAttribute('data-listen-failed') || (b.getAttribute('aria-pressed') === 'false' && events.filter((e) => e.type === 'ended').length >= 2);
  }), { timeout: 60_000 }).toBe(true);
  const events = await page.evaluate(() => (window as unknown as { mediaLog: MediaLog }).mediaLog.events);
  expect(events.map((e) => e.type)).not.toContain('error');
  return {
    sources: events.filter((e) => e.type === 'play').map((e) => e.src),
    marked: await page.locator(`${block} + [data-listen-button] + [data-listen-recorded]`).isVisible(),
    failed: (await button.getAttribute('data-listen-failed')) !== null,
  };
}
