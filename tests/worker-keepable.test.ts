/**
 * A worker on a 360 px phone, in English, Vietnamese and Thai: the one
 * required field is on the first screen of the form; the case number is
 * shown in groups, with the status address as a link, and must be typed back
 * (its last group) before the receipt lets go — a wrong group says so, and
 * leaving asks first; the file saved and the printout do not say what they
 * are; the grouped number fits the status page's box; and the team's newest
 * answer is the first thing on the status page.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../common/channel-link.ts';
import { formatToken, generateToken } from '../crypto/index.ts';
import { en } from '../client/i18n/en.ts';
import { th } from '../client/i18n/th.ts';
import { vi } from '../client/i18n/vi.ts';
import { dayOf } from '../server/clock.ts';
import { encryptMessage, listenTestServer, type ListeningTestServer, type TestTeam } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const SHOTS = '/tmp/shots-keepable';
const LANGS = { en, vi, th } as const;
type Lang = keyof typeof LANGS;
const PHONE = { width: 360, height: 640 };
const TWO = 'two-teams';

let server: ListeningTestServer;
let browser: Browser;
let supplier: TestTeam;

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') }, team: { name: 'Brand CSR' } });
  supplier = await server.addTeam({ name: 'Supplier committee', runsDeployment: false });
  server.repos.channels.create({ slug: TWO, name: 'Factory Two', createdDay: dayOf(server.clock.now()), teamIds: [server.team.id, supplier.id] });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone(lang: Lang, path: string): Promise<Page> {
  const context = await browser.newContext({ locale: lang === 'en' ? 'en-GB' : lang, viewport: PHONE, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector('#lang-picker option', { state: 'attached' });
  await page.selectOption('#lang-picker', lang);
  return page;
}

const twoTeamLink = () => channelLink('', TWO, [server.team.recovery.privateKey.fingerprint, supplier.recovery.privateKey.fingerprint]);

async function sendReport(lang: Lang): Promise<Page> {
  const page = await phone(lang, twoTeamLink());
  await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
  await page.fill('#f-what', 'The fire exit of workshop 2 is locked at night.');
  await page.click('#send');
  await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
  return page;
}

describe('the form on a 360 px phone', () => {
  for (const lang of Object.keys(LANGS) as Lang[]) {
    it(`puts “what happened?” on the first screen (${lang})`, async () => {
      const page = await phone(lang, twoTeamLink());
      await page.waitForSelector('#report-form:not([hidden]):not([data-early]) #team-options label');
      await page.evaluate(() => window.scrollTo(0, 0));
      const top = await page.$eval('#f-what', (el) => el.getBoundingClientRect().top + window.scrollY);
      await page.screenshot({ path: `${SHOTS}/form-${lang}.png` });
      expect(top).toBeLessThan(PHONE.height);
      await page.context().close();
    });
  }
});

describe('the receipt', () => {
  for (const lang of Object.keys(LANGS) as Lang[]) {
    it(`shows the number in groups with the status address as a link, and lets go only once its last group is typed back (${lang})`, async () => {
      const catalog = LANGS[lang];
      const page = await sendReport(lang);
      const groups = await page.$$eval('#receipt-token .group', (els) => els.map((el) => el.textContent));
      expect(groups).toHaveLength(7);
      for (const group of groups) expect(group).toMatch(/^\d{4}$/);
      const last = groups.at(-1)!;
      const link = page.locator('#receipt-check-hint a');
      expect(await link.getAttribute('href')).toBe('/status');
      expect(await link.textContent()).toBe(`${server.url}/status`);
      await page.screenshot({ path: `${SHOTS}/receipt-${lang}.png`, fullPage: true });

      // Nothing typed: it says what to do.
      await page.click('#receipt-done');
      expect(await page.textContent('#receipt-confirm-error')).toBe(catalog['receipt.confirmEmpty']);
      // A wrong group: it says so plainly, and the number stays.
      const wrong = last === '0000' ? '1111' : '0000';
      await page.fill('#receipt-confirm-input', wrong);
      await page.click('#receipt-done');
      expect(await page.textContent('#receipt-confirm-error')).toBe(catalog['receipt.confirmWrong'].replace('{typed}', wrong));
      expect(await page.isVisible('#receipt-token')).toBe(true);
      // Leaving before it matched asks first.
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.dismiss();
      });
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => dialogs).toEqual(['beforeunload']);
      expect(page.isClosed()).toBe(false);

      await page.fill('#receipt-confirm-input', ` ${last.slice(0, 2)} ${last.slice(2)} `);
      await page.click('#receipt-done');
      await page.waitForSelector('#receipt-closed:not([hidden])');
      expect(await page.isHidden('#receipt')).toBe(true);
      expect(await page.locator('#receipt-token .group').count()).toBe(0);
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => page.isClosed()).toBe(true);
      expect(dialogs).toEqual(['beforeunload']);
      await page.context().close();
    }, 120_000);

    it(`saves and prints the number without saying what it is (${lang})`, async () => {
      const catalog = LANGS[lang];
      const page = await sendReport(lang);
      const grouped = (await page.$$eval('#receipt-token .group', (els) => els.map((el) => el.textContent))).join(' ');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#receipt-save')]);
      expect(download.suggestedFilename()).toBe(catalog['receipt.fileName']);
      const saved = readFileSync((await download.path())!, 'utf8');
      expect(saved).toContain(grouped);
      expect(saved).toContain(`${server.url}/status`);
      for (const key of ['receipt.tokenLabel', 'receipt.heading', 'report.heading'] as const) expect(saved).not.toContain(catalog[key]);

      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: `${SHOTS}/print-${lang}.png`, fullPage: true });
      const printed = await page.evaluate(() => document.body.innerText);
      expect(printed.replace(/\s+/g, '')).toContain(grouped.replace(/\s+/g, ''));
      for (const key of ['receipt.tokenLabel', 'receipt.heading', 'receipt.keep', 'receipt.secret', 'receipt.noRecovery', 'report.heading'] as const) {
        expect(printed).not.toContain(catalog[key]);
      }
      expect(printed).not.toContain(catalog['receipt.ackBy'].split('{date}')[0]!.trim());
      await page.context().close();
    }, 120_000);
  }
});

describe('the status page on a 360 px phone', () => {
  for (const lang of Object.keys(LANGS) as Lang[]) {
    it(`shows the whole grouped number in its box (${lang})`, async () => {
      const page = await phone(lang, '/status');
      await page.waitForSelector('#token-form:not([hidden])');
      await page.fill('#token-input', formatToken(generateToken()));
      const box = await page.$eval('#token-input', (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      await page.screenshot({ path: `${SHOTS}/status-box-${lang}.png` });
      expect(box.scroll).toBeLessThanOrEqual(box.client);
      await page.context().close();
    });
  }

  it('shows the team’s newest answer first', async () => {
    const earlier = new Set(server.repos.caseLists.listForTeam(server.team.id).map((c) => c.id));
    const page = await sendReport('th');
    const token = (await page.$$eval('#receipt-token .group', (els) => els.map((el) => el.textContent))).join('');
    await page.context().close();
    // The case just sent (the list is by day, then by random id: other tests of this file sent cases too).
    const sent = server.repos.caseLists.listForTeam(server.team.id).filter((c) => !earlier.has(c.id));
    expect(sent).toHaveLength(1);
    const caseId = sent[0]!.id;
    const admin = await server.login(server.team.admin);
    const detail = (await admin.get(`/api/cases/${caseId}`).expect(200)).body as { teamKeys: string[]; reporterPublicKey: string };
    const recipients = [...detail.teamKeys, detail.reporterPublicKey];
    for (const text of ['We received it.', 'We visited the factory; the door is open now.']) {
      await admin.post(`/api/cases/${caseId}/messages`, { body: await encryptMessage(text, recipients) }).expect(201);
    }

    const status = await phone('th', '/status');
    await status.fill('#token-input', token);
    await status.click('#token-open');
    await status.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    await status.screenshot({ path: `${SHOTS}/status-latest-th.png` });
    expect(await status.textContent('#latest-answer')).toContain('the door is open now');
    const top = (selector: string) => status.$eval(selector, (el) => el.getBoundingClientRect().top + window.scrollY);
    const latest = await top('#latest-answer');
    expect(latest).toBeLessThan(await top('#stage-heading'));
    expect(latest).toBeLessThan(await top('#retaliation-open'));
    expect(latest).toBeLessThan(PHONE.height / 2);
    await status.context().close();
  }, 120_000);
});
