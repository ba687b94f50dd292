/**
 * The worker's status page does more than read and reply, in a real Chromium
 * against the real server: the worker reports retaliation and the team's
 * inbox shows the case URGENT; an investigator sends two transcripts, the
 * worker approves one and corrects the other, and the team sees both
 * answers; once the case is closed the worker is asked one question, once.
 * A mistyped token gets a kind message before anything is sent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';
import { setUpFirstTeam, signIn as signInAt } from './support/first-team.ts';

const PASSWORD = 'Correct-Horse-extras-Battery';
const USERNAME = 'csr.lead';
const PHONE = { width: 360, height: 740 };
/** Typed into the follow-up forms; must never reach the server in plaintext. */
const SECRETS = ['My supervisor moved me to night shifts', 'Since Monday', 'Outside the canteen', 'It is Ms. B, not Mr. A', 'Thank you'];

let server: RunningServer;
let browser: Browser;
let reportLink = '';
let token = '';

async function newPage(locale = 'en-GB'): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ locale, viewport: PHONE });
  return context.newPage();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function signIn(): Promise<Page> {
  const page = await newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await signInAt(page, server.url, { username: USERNAME, password: PASSWORD });
  return page;
}

async function openOnlyCase(page: Page): Promise<void> {
  await page.waitForSelector('#case-table tr[data-case-id]');
  await page.click('#case-table tr[data-case-id] a');
  await page.waitForSelector('#case-view:not([hidden]) #case-report dd');
}

async function openStatus(locale = 'en-GB'): Promise<Page> {
  const page = await newPage(locale);
  await page.goto(`${server.url}/status`);
  await page.fill('#token-input', token);
  await page.click('#token-open');
  await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
  return page;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const page = await newPage();
  reportLink = await setUpFirstTeam(page, server, { username: USERNAME, password: PASSWORD });
  await page.context().close();

  const worker = await newPage();
  await worker.goto(reportLink);
  await worker.waitForSelector('#report-form:not([hidden]):not([data-early])');
  await worker.click('#cat-working_hours');
  await worker.fill('#f-what', 'Forced overtime every Sunday');
  await worker.click('#send');
  await worker.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
  token = (await worker.textContent('#receipt-token'))!.replace(/\s+/g, '');
  await worker.context().close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('the status page beyond reading and replying', () => {
  it('tells a worker kindly that a digit is wrong, before anything is sent', async () => {
    const page = await newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.url}/status`);
    const wrongLast = token.slice(0, -1) + String((Number(token.at(-1)) + 1) % 10);
    await page.fill('#token-input', wrongLast);
    await page.click('#token-open');
    await page.waitForSelector('#token-error:not([hidden])');
    expect(await page.textContent('#token-error')).toMatch(/one of the digits is not right/i);
    expect(requests.filter((url) => url.includes('/api/status'))).toEqual([]);
    await page.context().close();
  });

  it('lets the worker report retaliation, and the team sees the case URGENT', async () => {
    const page = await openStatus();
    await page.click('#retaliation-open');
    await page.fill('#retaliation-what', 'My supervisor moved me to night shifts');
    await page.fill('#retaliation-when', 'Since Monday');
    await page.click('#retaliation-send');
    await page.waitForSelector('#retaliation-sent:not([hidden])');
    await page.waitForSelector('#thread li[data-kind=retaliation]:has-text("My supervisor moved me to night shifts")');
    await page.click('#meeting-open');
    await page.fill('#meeting-preferred', 'Outside the canteen after 18:00');
    await page.click('#meeting-send');
    await page.waitForSelector('#thread li[data-kind=meeting_request]:has-text("Outside the canteen")');
    await page.context().close();

    const team = await signIn();
    await team.waitForSelector('#case-table tr[data-case-id]');
    expect(await team.textContent('#case-table tr[data-case-id] .badge.urgent')).toMatch(/URGENT/);
    await openOnlyCase(team);
    expect(await team.isVisible('#case-urgent')).toBe(true);
    const retaliation = await team.textContent('#case-thread li[data-kind=retaliation]');
    expect(retaliation).toMatch(/RETALIATION REPORTED/);
    expect(retaliation).toContain('Since Monday');
    expect(await team.textContent('#case-thread li[data-kind=meeting_request]')).toMatch(/MEETING .*REQUESTED[\s\S]*Outside the canteen/);
    await team.context().close();
  });

  it('lets an investigator send transcripts that the worker approves or corrects, and shows the answers to the team', async () => {
    const team = await signIn();
    await openOnlyCase(team);
    for (const minutes of ['Minutes of our call: you work 70 hours a week', 'Minutes: your team leader is Mr. A']) {
      await team.fill('#case-reply', minutes);
      await team.check('#case-reply-transcript');
      await team.click('#case-reply-send');
      await team.waitForSelector(`#case-thread li[data-kind=transcript]:has-text("${minutes}") .transcript-state[data-state=waiting]`);
    }
    expect(await team.isChecked('#case-reply-transcript')).toBe(false);
    await team.context().close();

    const page = await openStatus();
    const first = page.locator('#thread li[data-kind=transcript]').nth(0);
    const second = page.locator('#thread li[data-kind=transcript]').nth(1);
    await first.locator('.transcript-approve').click();
    await page.waitForSelector('#thread li[data-kind=transcript_response]');
    await second.locator('.transcript-correct').click();
    await second.locator('.transcript-correction').fill('It is Ms. B, not Mr. A');
    await second.locator('.transcript-send-correction').click();
    await expect.poll(() => page.locator('#thread li[data-kind=transcript_response]').count()).toBe(2);
    expect(await page.locator('#thread li[data-kind=transcript] .transcript-approve').count()).toBe(0);
    await page.context().close();

    const again = await signIn();
    await openOnlyCase(again);
    await again.waitForSelector('#case-thread li[data-kind=transcript] .transcript-state[data-state=approved]');
    const states = await again.locator('#case-thread li[data-kind=transcript] .transcript-state').evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-state')),
    );
    expect(states).toEqual(['approved', 'correction']);
    expect(await again.textContent('#case-thread li[data-kind=transcript_response]:last-child')).toContain('It is Ms. B, not Mr. A');
    await again.context().close();
  });

  it('asks the worker one question after closure, and only once', async () => {
    const before = await openStatus();
    expect(await before.isVisible('#satisfaction-form')).toBe(false);
    await before.context().close();

    const team = await signIn();
    await openOnlyCase(team);
    await team.selectOption('#case-stage', 'acknowledged');
    await team.click('#case-stage-submit');
    await expect.poll(() => team.textContent('#case-history')).toMatch(/acknowledged/i);
    await team.selectOption('#case-stage', 'closed');
    await team.fill('#case-stage-reason', 'Overtime stopped; supervisor warned');
    await team.selectOption('#case-outcome', 'substantiated');
    await team.click('#case-stage-submit');
    await expect.poll(() => team.textContent('#case-history')).toMatch(/closed/i);
    await team.context().close();

    const page = await openStatus('zh-CN');
    await page.waitForSelector('#satisfaction-form:not([hidden])');
    expect(await page.isVisible('#meeting-open')).toBe(false);
    await page.click('#satisfaction-send');
    await page.waitForSelector('#satisfaction-error:not([hidden])');
    await page.click('label[for=satisfaction-4]');
    await page.fill('#satisfaction-comment', 'Thank you');
    await page.click('#satisfaction-send');
    await page.waitForSelector('#satisfaction-thanks:not([hidden])');
    await page.waitForSelector('#thread li[data-kind=satisfaction]');
    expect(await page.isVisible('#satisfaction-form')).toBe(false);
    await page.click('#status-leave');
    await page.fill('#token-input', token);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    expect(await page.isVisible('#satisfaction-form')).toBe(false);
    await page.context().close();

    const again = await signIn();
    await openOnlyCase(again);
    expect(await again.textContent('#case-thread li[data-kind=satisfaction]')).toMatch(/4\/5 \(good\)[\s\S]*Thank you/);
    await again.context().close();
  });
});

describe('the follow-up stays blind', () => {
  it('keeps what the worker typed into the follow-up forms out of the data folder and the server output', () => {
    const files = filesUnder(server.dataDir);
    expect(files.some((file) => file.endsWith('.db'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of SECRETS) expect(bytes.includes(Buffer.from(secret, 'utf8')), `${secret} in ${file}`).toBe(false);
    }
    for (const secret of SECRETS) expect(server.output()).not.toContain(secret);
  });
});
