/**
 * Without JavaScript the report page says plainly why it cannot work and has
 * no way at all to send what a worker typed: the form is hidden, its fields
 * have no names (a submitted form would carry none of them), and it has no
 * action that posts anywhere.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('the report page without JavaScript', () => {
  it('explains why it cannot work and offers no way to send plaintext', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    const posts: string[] = [];
    page.on('request', (request) => request.method() !== 'GET' && posts.push(request.url()));
    await page.goto(`${server.url}/r/any-channel`);
    const notice = await page.textContent('main noscript');
    expect(notice).toMatch(/JavaScript/);
    expect(notice).toMatch(/nothing is sent/i);
    // Drawn with the page's stylesheet: without the early form's script to apply it, its <noscript> twin does.
    expect(await page.$eval('main noscript .notice', (el) => getComputedStyle(el).borderTopWidth)).toBe('2px');
    expect(await page.isVisible('#report-form')).toBe(false);
    expect(await page.$$eval('input[name], textarea[name], select[name]', (fields) => fields.length)).toBe(0);
    expect(await page.$$eval('form[action], form[method=post i]', (forms) => forms.length)).toBe(0);
    expect(posts).toEqual([]);
    await context.close();
  });
});
