/**
 * The work a report needs whatever it says is done while the worker writes
 * (client/lib/groundwork.ts), in Chromium against the real server: by the
 * time "send" is pressed the proof of work is solved, so send makes exactly
 * one intake request; a challenge the server no longer accepts is solved
 * again without the worker noticing, and the report arrives once.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../common/channel-link.ts';
import { listenTestServer, type ListeningTestServer } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

let server: ListeningTestServer;
let browser: Browser;
let link = '';

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  browser = await launchBrowser();
  link = channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const caseCount = () => (server.db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;

/** A phone whose report API requests are recorded with their answers' status. */
async function phone(): Promise<{ page: Page; sent: string[] }> {
  const page = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } })).newPage();
  const sent: string[] = [];
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (/^\/api\/(intake|pow)/.test(path)) sent.push(`${response.request().method()} ${path} ${response.status()}`);
  });
  return { page, sent };
}

/** The worker opens the form and starts writing; resolves once the page has done the work ahead of send. */
async function startWriting(page: Page): Promise<void> {
  await page.goto(link);
  await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
  await page.focus('#f-what');
  await page.waitForSelector('#report-form[data-groundwork=ready]', { timeout: 60_000 });
}

describe('a report written for a while', () => {
  it('asks for nothing but the proof-of-work challenge before send, then makes exactly one intake request', async () => {
    const { page, sent } = await phone();
    await startWriting(page);
    expect(sent).toEqual(['POST /api/pow 200']);
    const before = caseCount();
    sent.length = 0;
    await page.fill('#f-what', 'The canteen water is not safe to drink.');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    expect(sent).toEqual(['POST /api/intake 201']);
    expect(caseCount()).toBe(before + 1);
    // The case opens with the token shown: the token, secrets and reporter key made ahead are the report's own.
    const token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    await page.context().close();
    const status = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await status.goto(`${server.url}/status`);
    await status.fill('#token-input', token);
    await status.click('#token-open');
    await status.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    expect(await status.textContent('#case-view')).toContain('The canteen water is not safe to drink.');
    await status.context().close();
  });

  it('solves a challenge that expired while the worker wrote again, and the report arrives once', async () => {
    const { page, sent } = await phone();
    await startWriting(page);
    const before = caseCount();
    sent.length = 0;
    server.clock.advance({ minutes: 11 }); // past the challenge's ten minutes, by the server's clock only
    await page.fill('#f-what', 'Night shift breaks are cut to ten minutes.');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    expect(sent).toEqual(['POST /api/intake 403', 'POST /api/pow 200', 'POST /api/intake 201']);
    expect(await page.isHidden('#form-error')).toBe(true);
    expect(caseCount()).toBe(before + 1);
    await page.context().close();
  });

  it('does not offer a challenge older than eight minutes by the phone\'s clock: a new one is solved on send', async () => {
    const { page, sent } = await phone();
    await page.clock.install();
    await startWriting(page);
    const before = caseCount();
    sent.length = 0;
    await page.clock.fastForward('09:00');
    server.clock.advance({ minutes: 9 });
    await page.fill('#f-what', 'The dormitory doors are locked from outside.');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    expect(sent).toEqual(['POST /api/pow 200', 'POST /api/intake 201']);
    expect(caseCount()).toBe(before + 1);
    await page.context().close();
  });
});
