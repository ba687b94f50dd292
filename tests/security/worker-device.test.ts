/**
 * In a real Chromium: a worker reports, writes down the token and comes back
 * to the status page. Afterwards the phone holds no trace of it in the
 * browser's storage — no cookie, nothing in localStorage, IndexedDB, Cache
 * Storage or a service worker; sessionStorage only the chosen language —
 * and another site cannot frame the pages (a page that frames them shows
 * nothing of them).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { setUpFirstTeam } from '../support/first-team.ts';
import { removeDataDir, startServer, type RunningServer } from '../support/server.ts';

let server: RunningServer;
let browser: Browser;
let reportLink = '';
let evil: Server;
let evilUrl = '';

async function storageOf(context: BrowserContext, page: Page) {
  const inPage = await page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    cookie: document.cookie,
  }));
  return { ...inPage, cookies: (await context.cookies()).map((c) => c.name) };
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const setup = await browser.newContext();
  reportLink = await setUpFirstTeam(await setup.newPage(), server, { username: 'csr.lead', password: 'Device-Test-Password-1' });
  await setup.close();
  // Another site that tries to frame the report and status pages.
  evil = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html');
    if (req.url === '/inner') return void res.end('<!doctype html><p id="inner">a frame of this site</p>');
    res.end(`<!doctype html><iframe src="${reportLink}"></iframe><iframe src="${server.url}/status"></iframe><iframe src="/inner"></iframe>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
  await new Promise((resolve) => evil?.close(resolve));
});

describe('the worker’s phone', () => {
  it('keeps nothing of a report or a visit to the status page in the browser’s storage', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.click('#cat-working_hours');
    await page.fill('#f-what', 'device trace test');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    const token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    const afterReport = await storageOf(context, page);

    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', token);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    const afterStatus = await storageOf(context, page);

    for (const state of [afterReport, afterStatus]) {
      expect(state.cookies).toEqual([]);
      expect(state.cookie).toBe('');
      expect(state.local).toEqual([]);
      expect(state.indexedDb).toEqual([]);
      expect(state.caches).toEqual([]);
      expect(state.workers).toBe(0);
      expect(state.session.length).toBeLessThanOrEqual(1); // the chosen language, for this tab only
      for (const key of state.session) expect(await page.evaluate((k) => sessionStorage.getItem(k), key)).not.toContain(token);
    }
    await context.close();
  });

  it('cannot be framed by another site', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(evilUrl); // 'load' waits for every frame, refused or not
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    expect(frames).toHaveLength(3);
    // The check can see: the site's own frame loaded and shows its content.
    const own = frames.find((f) => f.url().endsWith('/inner'))!;
    expect(await own.evaluate(() => document.querySelector('#inner')?.textContent)).toBe('a frame of this site');
    for (const frame of frames.filter((f) => f !== own)) {
      // A refused frame is an error page: none of Ombud's content or scripts are in it.
      const shown = await frame.evaluate(() => document.querySelector('#report-form, #token-input, script[src]') !== null).catch(() => false);
      expect(shown, frame.url()).toBe(false);
    }
    await context.close();
  });
});
