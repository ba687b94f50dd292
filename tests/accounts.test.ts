/**
 * Investigator accounts in Chromium against the real server: an administrator
 * invites a newcomer by a single-use link → the newcomer joins in another
 * browser (their key is made there) → waits until the administrator admits
 * them with the team's recovery key → signs in → sets up an authenticator app
 * (reading the secret off the page) → signs out (the key is wiped, the case
 * view hidden) → signs in with password + code → a recovery code works once →
 * a newly submitted report is readable by the newcomer → idle time wipes the
 * key (the page clock is moved forward).
 */
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportArmoredPrivateKey } from '../crypto/index.ts';
import { base32Decode, hotp, totpStep } from '../server/auth/totp.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const ADMIN_PASSWORD = 'Correct-Horse-Accounts-Admin';
const NEW_PASSWORD = 'Newcomer-Battery-Staple-42';
const NEW_USERNAME = 'nadia.k';
const WHAT = 'CANARY-accounts The canteen serves expired food.';

let server: ListeningTestServer;
let browser: Browser;
let admin: TestInvestigator;
let newcomer: Page;
let inviteLink = '';
let totpSecret: Uint8Array = new Uint8Array();
let recoveryCodes: string[] = [];

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width, height: 900 } });
  return { context, page: await context.newPage() };
}

async function passwordStep(p: Page, username: string, password: string): Promise<void> {
  await p.goto(`${server.url}/team`);
  await p.waitForSelector('#login-form:not([hidden])');
  await p.fill('#login-username', username);
  await p.fill('#login-password', password);
  await p.click('#login-submit');
}

const signedIn = (p: Page) => p.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });

async function signInWithCode(p: Page, code: () => string): Promise<void> {
  await passwordStep(p, NEW_USERNAME, NEW_PASSWORD);
  await p.waitForSelector('#login-code-field:not([hidden])', { timeout: 60_000 });
  expect(await p.textContent('#login-error')).toMatch(/6-digit code/);
  await p.fill('#login-code', code());
  await p.click('#login-submit');
}

async function openAccountMenu(p: Page): Promise<void> {
  await p.click('#account-name');
}

async function signOut(p: Page): Promise<void> {
  await openAccountMenu(p);
  await p.click('#logout');
  await p.waitForSelector('#login-form:not([hidden])');
}

function reportText(what: string): Uint8Array {
  const report = { v: 1, lang: 'en', category: 'working_hours', what, when: 'Every night', where: 'Hall 2', ongoing: 'yes', involved: '', wish: '', contact: '' };
  return new TextEncoder().encode(JSON.stringify(report));
}

const currentCode = () => hotp(totpSecret, totpStep(server.clock.now()));

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  admin = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: ADMIN_PASSWORD });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('investigator accounts', () => {
  it('lets an administrator create a single-use invitation link, warning about existing cases', async () => {
    const { page } = await newPage();
    await passwordStep(page, admin.username, ADMIN_PASSWORD);
    await signedIn(page);
    await openAccountMenu(page);
    await page.click('#invites-open');
    expect(await page.textContent('#invites-existing')).toMatch(/cannot read cases received before/);
    await page.fill('#invite-name', 'Nadia');
    await page.click('#invite-create');
    await page.waitForSelector('#invite-link');
    inviteLink = await page.inputValue('#invite-link');
    // The fragment carries the team's recovery fingerprint from the administrator's key envelope (protocol v2).
    expect(inviteLink).toMatch(new RegExp(`^${server.url}/join#[A-Za-z0-9_-]{43}~${server.team.recovery.privateKey.fingerprint.toLowerCase()}$`));
    await expect.poll(() => page.locator('#invites-pending li').allTextContents()).toEqual([expect.stringContaining('Nadia')]);
    await page.context().close();
  });

  it('lets the newcomer join in their own browser, and the link then stops working', async () => {
    ({ page: newcomer } = await newPage(360));
    await newcomer.goto(inviteLink);
    await newcomer.waitForSelector('#join-form:not([hidden])');
    expect(newcomer.url()).toBe(`${server.url}/join`); // the token left the address bar
    expect(await newcomer.textContent('#join-heading')).toContain(server.team.name);
    expect(await newcomer.inputValue('#join-display-name')).toBe('Nadia');
    await newcomer.fill('#join-username', NEW_USERNAME);
    await newcomer.fill('#join-password', 'too-short');
    await newcomer.fill('#join-password2', 'too-short');
    await newcomer.click('#join-submit');
    expect(await newcomer.textContent('#join-error')).toMatch(/at least 12/);
    await newcomer.fill('#join-password', NEW_PASSWORD);
    await newcomer.fill('#join-password2', NEW_PASSWORD);
    await newcomer.click('#join-submit');
    await newcomer.waitForSelector('#join-team-link:not([hidden])', { timeout: 60_000 });
    expect(server.repos.investigators.findByUsername(NEW_USERNAME)?.teamId).toBe(server.team.id);

    const { page: again } = await newPage();
    await again.goto(inviteLink);
    await again.waitForSelector('#join-status:not([hidden])');
    expect(await again.textContent('#join-status')).toMatch(/already used/);
    await again.context().close();
  });

  it('keeps the newcomer waiting until an administrator admits them with the team’s recovery key', async () => {
    await passwordStep(newcomer, NEW_USERNAME, NEW_PASSWORD);
    await newcomer.waitForSelector('#pending-view:not([hidden])', { timeout: 60_000 });
    expect(await newcomer.isHidden('#inbox-view')).toBe(true);
    await signOut(newcomer);
    const { page } = await newPage();
    await passwordStep(page, admin.username, ADMIN_PASSWORD);
    await signedIn(page);
    await page.goto(`${server.url}/team#/members`);
    const id = server.repos.investigators.findByUsername(NEW_USERNAME)!.id;
    await page.click(`[data-admit="${id}"]`);
    await page.fill('#admit-paste', await exportArmoredPrivateKey(server.team.recovery.privateKey));
    await page.click('#admit-submit');
    await page.waitForSelector(`#members-list li[data-member-id="${id}"][data-state="admitted"]`, { timeout: 60_000 });
    await page.context().close();
  });

  it('signs the newcomer in and sets up an authenticator app with a QR code and recovery codes', async () => {
    await passwordStep(newcomer, NEW_USERNAME, NEW_PASSWORD);
    await signedIn(newcomer);
    await openAccountMenu(newcomer);
    expect(await newcomer.isVisible('#invites-open')).toBe(false); // investigators do not invite
    await newcomer.click('#totp-open');
    await newcomer.click('#totp-start');
    await newcomer.waitForSelector('#totp-qr svg path');
    totpSecret = base32Decode((await newcomer.textContent('#totp-secret')) ?? '');
    expect(totpSecret).toHaveLength(20);
    await newcomer.fill('#totp-code', currentCode());
    await newcomer.click('#totp-confirm');
    await newcomer.waitForSelector('#totp-recovery-codes li');
    recoveryCodes = await newcomer.locator('#totp-recovery-codes code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    expect(await newcomer.textContent('#totp-state')).toMatch(/10 recovery codes left/);
    await newcomer.click('#totp-close');
    server.clock.advance({ seconds: 30 }); // the confirming code's time step is spent
  });

  it('wipes the key and hides the case view on sign-out', async () => {
    const { caseId } = await server.submitReport({ plaintext: reportText('Doors locked during the night shift.') });
    await newcomer.goto(`${server.url}/team#/case/${caseId}`);
    await newcomer.waitForSelector('#case-view:not([hidden]) #case-report dd', { timeout: 60_000 });
    await signOut(newcomer);
    expect(await newcomer.isHidden('#case-view')).toBe(true);
    expect(await newcomer.locator('#case-report').innerHTML()).toBe('');
    expect(await newcomer.isHidden('#account-menu')).toBe(true); // no session in the keyring
    expect(await newcomer.textContent('#team-notice')).toMatch(/key was wiped/);
  });

  it('asks for the code after the password, and signs in with it', async () => {
    await signInWithCode(newcomer, currentCode);
    await signedIn(newcomer);
    await signOut(newcomer);
  });

  it('accepts a recovery code once', async () => {
    const code = recoveryCodes[0] ?? '';
    await signInWithCode(newcomer, () => code);
    await signedIn(newcomer);
    await signOut(newcomer);
    await signInWithCode(newcomer, () => code);
    // The code is checked after a fresh Argon2id: seconds on a loaded machine, more than expect.poll's default second.
    await expect.poll(() => newcomer.textContent('#login-error'), { timeout: 60_000 }).toMatch(/already used/);
    expect(await newcomer.isHidden('#inbox-view')).toBe(true);
    const failed = server.repos.audit.list().filter((e) => e.action === 'auth.second_factor_failed');
    expect(failed.map((e) => e.detail)).toEqual([{ username: NEW_USERNAME }]);
  });

  it('shows the administrator the failed sign-in of their colleague', async () => {
    const { page } = await newPage();
    await passwordStep(page, admin.username, ADMIN_PASSWORD);
    await signedIn(page);
    await page.waitForSelector('#failed-logins:not([hidden])');
    expect(await page.textContent('#failed-logins')).toContain(NEW_USERNAME);
    await page.context().close();
  });

  it('lets the newcomer read a report submitted after they joined', async () => {
    const { caseId } = await server.submitReport({ plaintext: reportText(WHAT) });
    server.clock.advance({ seconds: 30 });
    await signInWithCode(newcomer, currentCode);
    await signedIn(newcomer);
    await newcomer.goto(`${server.url}/team#/case/${caseId}`);
    await expect.poll(() => newcomer.textContent('#case-report'), { timeout: 60_000 }).toContain(WHAT);
  });

  it('wipes the key after idle time', async () => {
    const context = newcomer.context();
    await context.clock.install();
    server.clock.advance({ seconds: 30 });
    await signInWithCode(newcomer, currentCode);
    await signedIn(newcomer);
    await newcomer.clock.fastForward('16:00');
    await newcomer.waitForSelector('#login-form:not([hidden])');
    expect(await newcomer.textContent('#team-notice')).toMatch(/without activity/);
    expect(await newcomer.isHidden('#account-menu')).toBe(true);
    await context.close();
  });
});
