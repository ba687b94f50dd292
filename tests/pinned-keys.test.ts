/**
 * Pinned keys in a real browser (docs/protocol.md, "Pinned keys"): the report
 * form encrypts only to keys certified by the recovery keys its link pins,
 * and otherwise warns the worker and sends nothing — even when the server
 * itself offers the wrong key.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInfo } from '../common/api.ts';
import { channelLink } from '../common/channel-link.ts';
import { certifyKey, generateKeyPair } from '../crypto/index.ts';
import { listenTestServer, type ListeningTestServer } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const SHOTS = '/tmp/shots-pins';
let server: ListeningTestServer;
let browser: Browser;
let link = '';
let token = '';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  browser = await launchBrowser();
  link = channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const caseCount = () => (server.db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;

/** A phone-sized page that records every request it makes to the report API. */
async function phone(locale = 'en-GB'): Promise<{ page: Page; sent: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const sent: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/api\/(intake|pow|uploads)/.test(path)) sent.push(`${request.method()} ${path}`);
  });
  return { page, sent };
}

async function expectWarning(page: Page, problem: string): Promise<string> {
  await page.waitForSelector(`#channel-error[data-pins="${problem}"]:not([hidden])`, { timeout: 30_000 });
  expect(await page.isHidden('#report-form')).toBe(true);
  return (await page.textContent('#channel-error'))!;
}

describe('the report form with a pinned link', () => {
  it('sends a report through the link a poster prints', async () => {
    const { page, sent } = await phone();
    await page.goto(link);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
    await page.fill('#f-what', 'The fire exit of hall 2 is locked at night.');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    expect(sent).toContain('POST /api/intake');
    expect(caseCount()).toBe(1);
    await page.context().close();
  });

  it('refuses a key the server slipped in as an investigator of the team: warning, nothing sent, nothing stored', async () => {
    // What a compromised server would do: an active investigator whose key the recovery key never certified.
    const attacker = await server.addInvestigator(server.team, { username: 'mallory', certified: false });
    try {
      const before = caseCount();
      const { page, sent } = await phone();
      await page.goto(link);
      const text = await expectWarning(page, 'uncertified');
      expect(text).toContain('Nothing was sent');
      expect(text).toContain(server.team.name);
      await page.screenshot({ path: `${SHOTS}/uncertified-360.png`, fullPage: true });
      expect(sent).toEqual([]);
      expect(caseCount()).toBe(before);
      await page.context().close();
    } finally {
      server.repos.investigators.setDisabled(attacker.id, true);
    }
  });

  it('shows the form before the crypto code has arrived on a slow network, and still warns once it has', async () => {
    const attacker = await server.addInvestigator(server.team, { username: 'mallory-slow', certified: false });
    const { page, sent } = await phone();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // openpgp.js is what the crypto code needs and the page loads last; the small loader chunks named
    // crypto-* may be among the page's first scripts, so holding those would hold the page itself.
    await page.route('**/assets/openpgp-*.js', async (route) => {
      await held; // the crypto code is still on its way
      await route.continue();
    });
    try {
      await page.goto(link);
      await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
      expect(await page.isHidden('#channel-error')).toBe(true);
      release();
      expect(await expectWarning(page, 'uncertified')).toContain('Nothing was sent');
      expect(sent).toEqual([]);
    } finally {
      release();
      server.repos.investigators.setDisabled(attacker.id, true);
      await page.context().close();
    }
  });

  it('refuses at sending when the server swaps a key after the form was opened', async () => {
    const { page, sent } = await phone();
    await page.goto(link);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
    const before = caseCount();
    const attacker = await server.addInvestigator(server.team, { username: 'mallory2', certified: false });
    try {
      await page.fill('#f-what', 'Overtime is not paid.');
      await page.click('#send');
      await expectWarning(page, 'uncertified');
      expect(sent.filter((r) => r.includes('/api/intake') || r.includes('/api/uploads'))).toEqual([]);
      expect(caseCount()).toBe(before);
    } finally {
      server.repos.investigators.setDisabled(attacker.id, true);
      await page.context().close();
    }
  });

  it('warns, instead of asking to try the file again, when a file chosen after a key swap is refused', async () => {
    const { page, sent } = await phone();
    await page.goto(link);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
    const attacker = await server.addInvestigator(server.team, { username: 'mallory-file', certified: false });
    try {
      const photo = readFileSync(new URL('../client/media/fixtures/located.jpeg', import.meta.url));
      await page.setInputFiles('#attach-input', [{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo }]);
      await page.waitForSelector('#attach-list [data-state="failed"]', { timeout: 30_000 });
      await page.fill('#f-what', 'Overtime is not paid.');
      await page.click('#send');
      expect(await expectWarning(page, 'uncertified')).toContain('Nothing was sent');
      // An upload ticket may be asked for (it carries nothing); no file and no report is sent.
      expect(sent.filter((r) => r.includes('/api/intake') || (r.includes('/api/uploads') && !r.endsWith('/ticket')))).toEqual([]);
    } finally {
      server.repos.investigators.setDisabled(attacker.id, true);
      await page.context().close();
    }
  });

  it('refuses a forged channel answer whose recovery key is not the pinned one, even if it certifies its keys', async () => {
    const forgedRecovery = await generateKeyPair({ name: 'Forged recovery', kind: 'team' });
    const forgedInvestigator = await generateKeyPair({ name: 'Forged investigator', kind: 'team' });
    const certified = await certifyKey({ publicKey: forgedInvestigator.publicKey, certifier: forgedRecovery.privateKey });
    const { page, sent } = await phone();
    await page.route(`**/api/channels/${server.team.channelSlug}`, async (route) => {
      const real = (await (await route.fetch()).json()) as ChannelInfo;
      const teams = real.teams.map((team) => ({
        ...team, recoveryKey: forgedRecovery.publicKey, investigatorKeys: [certified], recipientKeys: [certified, forgedRecovery.publicKey],
      }));
      await route.fulfill({ json: { ...real, teams } });
    });
    await page.goto(link);
    expect(await expectWarning(page, 'unpinned')).toContain('Nothing was sent');
    expect(sent).toEqual([]);
    await page.context().close();
  });

  it('refuses a link with a wrong fingerprint, a missing fragment and a damaged one, each with its own words', async () => {
    const base = `${server.url}/r/${server.team.channelSlug}`;
    const cases: Array<[url: string, problem: string, words: RegExp]> = [
      [channelLink(server.url, server.team.channelSlug, ['0123456789abcdef0123456789abcdef01234567']), 'unpinned', /does not name/],
      [base, 'missing', /incomplete/],
      [`${base}#pins=0123`, 'malformed', /damaged or was changed/],
    ];
    for (const [url, problem, words] of cases) {
      const { page, sent } = await phone();
      await page.goto(url);
      const text = await expectWarning(page, problem);
      expect(text).toMatch(words);
      expect(text).toMatch(/Scan the QR code on the poster again/);
      await page.screenshot({ path: `${SHOTS}/${problem}-360.png`, fullPage: true });
      expect(sent).toEqual([]);
      await page.context().close();
    }
  });

  it('sends no follow-up to a key the pins inside the report do not vouch for', async () => {
    const attacker = await server.addInvestigator(server.team, { username: 'mallory3', certified: false });
    try {
      const { page } = await phone();
      const posted: string[] = [];
      page.on('request', (request) => {
        if (request.method() !== 'GET' && !request.url().endsWith('/api/status')) posted.push(request.url());
      });
      await page.goto(`${server.url}/status`);
      await page.fill('#token-input', token);
      await page.click('#token-open');
      // Protocol v2: the case's binding vouches for the keys; an uncertified one is refused as the case opens.
      await page.waitForSelector('[data-trust-refusal="uncertified"]:not([hidden])', { timeout: 60_000 });
      expect(await page.textContent('#trust-refusal')).toMatch(/Nothing was sent.*never confirmed|never confirmed.*Nothing was sent/);
      expect(await page.isVisible('#reply-form')).toBe(false);
      expect(posted).toEqual([]);
      expect((server.db.prepare("SELECT COUNT(*) AS n FROM messages").get() as { n: number }).n).toBe(0);
      await page.context().close();
    } finally {
      server.repos.investigators.setDisabled(attacker.id, true);
    }
  });

  it('says it in the worker’s language', async () => {
    const { page } = await phone('zh-CN');
    await page.goto(`${server.url}/r/${server.team.channelSlug}`);
    expect(await expectWarning(page, 'missing')).toContain('没有发送任何内容');
    await page.screenshot({ path: `${SHOTS}/missing-zh-360.png`, fullPage: true });
    await page.context().close();
  });
});
