/**
 * Listening, in a real Chromium against the real server and the built
 * prompts: every listen control on every worker page (home, the form, the
 * receipt, the status page, the information page) plays to its end in each language
 * that has a voice — the media events of the one <audio> element are
 * watched — and no control is shown where the language has no voice for that
 * block. Every request is routed: one to any other host fails the test. The
 * case number is heard without the server learning a digit: pressing its
 * control fetches all ten digit clips, in one fixed order.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTEN_VOICES, type PromptManifest } from '../common/listen.ts';
import { launchBrowser } from './support/browser.ts';
import { setUpFirstTeam } from './support/first-team.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

const PHONE = { width: 360, height: 740 };
const LANGUAGES = ['en', 'es', 'hi', 'id', 'ms', 'vi', 'zh-CN', 'th'] as const;

let server: RunningServer;
let browser: Browser;
let reportLink = '';
/** Requests to any host but the server's, by any page of this file. */
const foreign: string[] = [];

interface MediaLog {
  events: Array<{ type: string; src: string }>;
}

async function newPage(): Promise<{ page: Page; context: BrowserContext; requests: string[] }> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: PHONE });
  const origin = new URL(server.url).origin;
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== origin && !url.startsWith('blob:') && !url.startsWith('data:')) {
      foreign.push(url);
      return route.abort();
    }
    requests.push(url);
    return route.continue();
  });
  await context.addInitScript(() => {
    const log: MediaLog = { events: [] };
    (window as unknown as { mediaLog: MediaLog }).mediaLog = log;
    // Media events do not bubble, but they pass the document while capturing.
    for (const type of ['play', 'playing', 'pause', 'ended', 'error']) {
      document.addEventListener(type, (event) => {
        const el = event.target as HTMLMediaElement;
        log.events.push({ type, src: el.currentSrc });
      }, true);
    }
    // Hear it fast: the test waits for every clip's end.
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      this.playbackRate = 16;
      return play.call(this);
    };
  });
  return { page: await context.newPage(), context, requests };
}

async function setLanguage(page: Page, lang: string): Promise<void> {
  await page.selectOption('#lang-picker', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** Presses every visible listen control and checks that each one played all its clips to the end. */
async function playEvery(page: Page, lang: string): Promise<number> {
  const buttons = page.locator('[data-listen-button]:visible');
  const count = await buttons.count();
  for (let i = 0; i < count; i += 1) {
    const button = buttons.nth(i);
    const before = await page.evaluate(() => (window as unknown as { mediaLog: MediaLog }).mediaLog.events.length);
    await button.click();
    // Under load a press was seen to leave no trace (not pressed, no clip, no failure), twice in some fifty runs;
    // a worker presses again, and so does the test, once. A control that never plays still fails below.
    const tookIt = () => button.evaluate((b, from) => b.getAttribute('aria-pressed') === 'true' || b.hasAttribute('data-listen-failed')
      || (window as unknown as { mediaLog: MediaLog }).mediaLog.events.slice(from).some((e) => e.type === 'play'), before);
    if (!(await expect.poll(tookIt, { timeout: 5_000 }).toBe(true).then(() => true, () => false))) await button.click();
    // Done when it failed, or when it is no longer pressed and every clip that started has ended; if not in
    // time, the message shows where it stood (pressed or not, the last media events).
    await expect
      .poll(
        () =>
          button.evaluate((b, from) => {
            const events = (window as unknown as { mediaLog: MediaLog }).mediaLog.events.slice(from);
            const plays = events.filter((e) => e.type === 'play').length;
            const ended = events.filter((e) => e.type === 'ended').length;
            const done = b.hasAttribute('data-listen-failed') || (b.getAttribute('aria-pressed') === 'false' && plays > 0 && plays === ended);
            return done ? 'done' : `pressed=${b.getAttribute('aria-pressed')} plays=${plays} ended=${ended} last=${events.slice(-4).map((e) => `${e.type}:${e.src.slice(-24)}`).join(',')}`;
          }, before),
        { timeout: 100_000 }, // the categories' control says nineteen clips; CI runs the unit tests beside it
      )
      .toBe('done');
    const failed = await button.getAttribute('data-listen-failed');
    const events = await page.evaluate((from) => (window as unknown as { mediaLog: MediaLog }).mediaLog.events.slice(from), before);
    const label = `${lang}: ${await button.evaluate((b) => (b.previousElementSibling as HTMLElement).dataset.listen)}`;
    expect(failed, label).toBeNull();
    const types = events.map((e) => e.type);
    expect(types, label).not.toContain('error');
    expect(types.filter((t) => t === 'play').length, label).toBeGreaterThan(0);
    // Every clip that started played to its end, and from this origin (or from memory).
    expect(types.filter((t) => t === 'playing').length, label).toBeGreaterThanOrEqual(types.filter((t) => t === 'play').length);
    expect(types.filter((t) => t === 'ended').length, label).toBe(types.filter((t) => t === 'play').length);
    for (const e of events) expect(e.src.startsWith(new URL(server.url).origin) || e.src.startsWith('blob:'), e.src).toBe(true);
  }
  return count;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const { page, context } = await newPage();
  reportLink = await setUpFirstTeam(page, server, { username: 'csr.lead', password: 'Correct-Horse-listen-Battery' });
  await context.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
  expect(foreign).toEqual([]);
});

describe('listening on the worker pages', () => {
  let receiptPage: Page;
  let token = '';

  it.each(LANGUAGES)('plays every control of the report form in %s, and shows none it cannot say', async (lang) => {
    const { page, context } = await newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await setLanguage(page, lang);
    const played = await playEvery(page, lang);
    if (LISTEN_VOICES[lang]!.scope === 'all') expect(played).toBeGreaterThanOrEqual(11);
    else expect(played).toBe(0); // no control that would pretend: only digits are said in this language
    await context.close();
  }, 300_000);

  it('sends a report, and reads the receipt and the case number aloud in every language with a voice', async () => {
    const { page, requests } = await newPage();
    receiptPage = page;
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.click('#cat-working_hours');
    await page.fill('#f-what', 'Forced overtime every Sunday');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    for (const lang of LANGUAGES) {
      await setLanguage(page, lang);
      const played = await playEvery(page, lang);
      expect(played).toBeGreaterThanOrEqual(LISTEN_VOICES[lang]!.scope === 'all' ? 7 : 1);
      // The case number's control fetched all ten digits, in the manifest's fixed order, whatever the number.
      const manifest = (await (await fetch(`${server.url}/listen-${lang}.json`)).json()) as PromptManifest;
      const digitUrls = Array.from({ length: 10 }, (_, d) => new URL(manifest.clips[`digit.${d}`]!, server.url).href);
      const fetched = requests.filter((url) => digitUrls.includes(url));
      expect(fetched.slice(0, 10)).toEqual(digitUrls);
    }
  }, 600_000);

  it('plays the stage and the dates on the status page, and every other control, in every language with a voice', async () => {
    await receiptPage.context().close();
    const { page, context } = await newPage();
    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', token);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    for (const lang of LANGUAGES) {
      await setLanguage(page, lang);
      const stage = page.locator('#stage-heading + [data-listen-button]');
      if (LISTEN_VOICES[lang]!.scope === 'all') await expect.poll(() => stage.isVisible()).toBe(true);
      else await expect.poll(() => stage.isVisible()).toBe(false);
      const played = await playEvery(page, lang);
      if (LISTEN_VOICES[lang]!.scope === 'all') expect(played).toBeGreaterThanOrEqual(4);
      else expect(played).toBe(0);
    }
    await context.close();
  }, 600_000);

  it('plays the home page in every language with a voice', async () => {
    const { page, context } = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#home-check');
    for (const lang of LANGUAGES) {
      await setLanguage(page, lang);
      const played = await playEvery(page, lang);
      expect(played).toBe(LISTEN_VOICES[lang]!.scope === 'all' ? 2 : 0);
    }
    await context.close();
  }, 600_000);

  it('stops where the phone paused it, unpressed and not failed; says it failed when a clip stalls', async () => {
    const { page, context } = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#home-check');
    await setLanguage(page, 'en');
    const button = page.locator('[data-listen-button]:visible').first();
    const plays = () => page.evaluate(() => (window as unknown as { mediaLog: MediaLog }).mediaLog.events.filter((e) => e.type === 'play').length);
    // The phone pauses the first clip (a call comes in): the sequence ends there, and no next clip starts.
    await page.evaluate(() => {
      document.addEventListener('playing', (event) => (event.target as HTMLMediaElement).pause(), { capture: true, once: true });
    });
    await button.click();
    await expect.poll(async () => `${await plays()} ${await button.getAttribute('aria-pressed')}`, { timeout: 30_000 }).toBe('1 false');
    expect(await button.getAttribute('data-listen-failed')).toBeNull();
    const after = await plays();
    await page.waitForTimeout(1_500);
    expect(await plays()).toBe(after);

    // A clip whose bytes never come (a dead connection): the control stays pressed, then, after the stall
    // limit (20 s without a byte or a moment of sound), says it failed.
    await page.route('**/assets/prompts/**', () => undefined); // never answered
    const pressed = Date.now();
    await button.click();
    await expect.poll(() => button.getAttribute('data-listen-failed'), { timeout: 60_000 }).toBe('true');
    expect(Date.now() - pressed).toBeGreaterThan(15_000); // the stall, not an error at once
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await context.close();
  }, 120_000);

  it('plays every section of the information page in every language with a voice', async () => {
    const { page, context } = await newPage();
    await page.goto(`${reportLink.split('#')[0]}/info`);
    await page.waitForSelector('#info-ack[data-i18n="info.ack"]');
    for (const lang of LANGUAGES) {
      await setLanguage(page, lang);
      const played = await playEvery(page, lang);
      if (LISTEN_VOICES[lang]!.scope === 'all') expect(played).toBeGreaterThanOrEqual(7);
      else expect(played).toBe(0);
    }
    await context.close();
  }, 600_000);
});
