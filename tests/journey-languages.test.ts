/**
 * The whole loop for workers who read Bengali, Burmese and Urdu (right to
 * left), answered by an investigator who works in Chinese: the worker
 * reports in their language and script, the investigator reads it in a
 * Chinese workspace, acknowledges and replies in Chinese, the worker opens
 * the status page in their language with the token, reads the reply and
 * answers, and the investigator reads the answer. Each page is checked for
 * its language and direction; the canaries appear in no request as plaintext.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { setUpFirstTeam, signIn } from './support/first-team.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

const run = Math.random().toString(36).slice(2, 8);
const PASSWORD = `Correct-Horse-${run}-Battery`;
const ACCOUNT = { username: 'csr.lead', password: PASSWORD };

/** What each worker writes, in their own script, and what the team answers in Chinese. */
const WORKERS = [
  { lang: 'bn', dir: 'ltr', what: `রাতের শিফটে তিন নম্বর হলের দরজা তালাবন্ধ থাকে ${run}`, answer: `ধন্যবাদ, দরজা এখনও বন্ধ ${run}` },
  { lang: 'my', dir: 'ltr', what: `ညဆိုင်းတွင် အခန်း ၃ ၏ တံခါးများကို သော့ခတ်ထားသည် ${run}`, answer: `ကျေးဇူးတင်ပါသည်၊ တံခါး ပိတ်ထားဆဲ ${run}` },
  { lang: 'ur', dir: 'rtl', what: `رات کی شفٹ میں ہال نمبر تین کے دروازے بند رہتے ہیں ${run}`, answer: `شکریہ، دروازے اب بھی بند ہیں ${run}` },
] as const;
const teamReply = (lang: string) => `我们已收到你的反映，正在调查 ${lang}-${run}`;

const SHOTS = '/tmp/shots-journey-languages';

let server: RunningServer;
let browser: Browser;
let reportLink = '';
const requestBodies: string[] = [];

async function context(locale: string, viewport = { width: 360, height: 740 }): Promise<BrowserContext> {
  const made = await browser.newContext({ locale, viewport });
  made.on('request', (request) => {
    const body = request.postData();
    if (body) requestBodies.push(body);
  });
  return made;
}

/** The investigator's workspace, in Chinese (the account's language set to it once). */
async function chineseDesk(): Promise<Page> {
  const page = await (await context('zh-CN', { width: 1280, height: 900 })).newPage();
  await signIn(page, server.url, ACCOUNT);
  if ((await page.getAttribute('html', 'lang')) !== 'zh-CN') {
    await page.selectOption('#team-lang', 'zh-CN');
  }
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  return page;
}

async function caseIds(page: Page): Promise<string[]> {
  await page.waitForSelector('#case-table');
  return page.$$eval('#case-table tr[data-case-id]', (rows) => rows.map((row) => row.getAttribute('data-case-id')!));
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const page = await (await context('en-GB')).newPage();
  reportLink = await setUpFirstTeam(page, server, ACCOUNT);
  await page.context().close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('a worker in Bengali, Burmese or Urdu, an investigator in Chinese', () => {
  const seen: string[] = [];

  it.each(WORKERS)('$lang: reports, reads the Chinese reply in their language and answers; the investigator reads it all in Chinese', async (worker) => {
    // The worker reports, in their language and script.
    const phone = await (await context(worker.lang)).newPage();
    await phone.goto(reportLink);
    await phone.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 60_000 });
    expect(await phone.getAttribute('html', 'lang')).toBe(worker.lang);
    expect(await phone.getAttribute('html', 'dir')).toBe(worker.dir);
    await phone.click('#cat-safety');
    await phone.fill('#f-what', worker.what);
    await phone.click('#send');
    await phone.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    const token = (await phone.textContent('#receipt-token'))!.replace(/\s+/g, '');
    expect(token).toMatch(/^\d{28}$/);
    await phone.context().close();

    // The investigator, in Chinese, finds the new case, reads it, acknowledges it and replies.
    const desk = await chineseDesk();
    const ids = await caseIds(desk);
    const fresh = ids.filter((id) => !seen.includes(id));
    expect(fresh).toHaveLength(1);
    seen.push(fresh[0]!);
    await desk.click(`#case-table tr[data-case-id="${fresh[0]}"] a`);
    await desk.waitForSelector('#case-view:not([hidden]) #case-report dd');
    expect(await desk.textContent('#case-report')).toContain(worker.what);
    expect(await desk.textContent('#case-heading')).toMatch(/\p{Script=Han}/u);
    await desk.selectOption('#case-stage', 'acknowledged');
    await desk.fill('#case-stage-reason', '已收到');
    await desk.click('#case-stage-submit');
    await expect.poll(() => desk.$$eval('#case-history li', (items) => items.length), { timeout: 30_000 }).toBeGreaterThan(1);
    await desk.fill('#case-reply', teamReply(worker.lang));
    await desk.click('#case-reply-send');
    await desk.waitForSelector(`#case-thread li.message.from-team:has-text("${teamReply(worker.lang)}")`);
    await desk.context().close();

    // The worker opens the status page with the token, in their language, reads the reply and answers.
    const status = await (await context(worker.lang)).newPage();
    await status.goto(`${server.url}/status`);
    await status.fill('#token-input', token);
    await status.click('#token-open');
    await status.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    expect(await status.getAttribute('html', 'lang')).toBe(worker.lang);
    expect(await status.getAttribute('html', 'dir')).toBe(worker.dir);
    expect(await status.getAttribute('#stage-timeline li[aria-current=step]', 'data-stage')).toBe('acknowledged');
    await status.waitForSelector(`#thread li.message.from-team:has-text("${teamReply(worker.lang)}")`);
    await status.fill('#reply-text', worker.answer);
    await status.click('#reply-send');
    await status.waitForSelector(`#thread li.message.from-reporter:has-text("${worker.answer}")`, { timeout: 60_000 });
    mkdirSync(SHOTS, { recursive: true });
    await status.screenshot({ path: join(SHOTS, `status-${worker.lang}-360.png`) }); // to look at: the Chinese reply among the worker's script
    await status.context().close();

    // The investigator reads the answer, still in Chinese.
    const again = await chineseDesk();
    await again.click(`#case-table tr[data-case-id="${fresh[0]}"] a`);
    await again.waitForSelector(`#case-thread li.message.from-reporter:has-text("${worker.answer}")`, { timeout: 60_000 });
    await again.context().close();
  }, 300_000);

  it('sent none of what the workers and the team wrote as plaintext', () => {
    expect(requestBodies.length).toBeGreaterThan(10);
    const written = WORKERS.flatMap((w) => [w.what, w.answer, teamReply(w.lang)]);
    for (const body of requestBodies) for (const text of written) expect(body).not.toContain(text);
  });
});
