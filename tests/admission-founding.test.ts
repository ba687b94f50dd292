/**
 * Pinned keys for the people of a team, in a real browser: a newcomer waits
 * until an administrator admits them with the team's recovery key (loaded
 * into the administrator's browser, checked, used to certify, wiped); a
 * deployment administrator founds a new team whose founder's browser makes
 * its recovery key.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportArmoredPrivateKey, generateKeyPair, isCertifiedBy } from '../crypto/index.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { groupFingerprint } from '../client/team/fingerprint.ts';

const SHOTS = '/tmp/shots-pins';
const PASSWORD = 'tulip-orbit-canyon-47';
let server: ListeningTestServer;
let browser: Browser;
let admin: TestInvestigator;
let newcomer: TestInvestigator;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  browser = await launchBrowser();
  admin = await server.addInvestigator(server.team, { username: 'lead', role: 'admin', password: PASSWORD });
  newcomer = await server.addInvestigator(server.team, {
    username: 'arif', displayName: 'Arif Rahman', password: PASSWORD, admitted: false, certified: false,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(username: string, ready: string, width = 1100): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/team`);
  await page.waitForSelector('#login-form:not([hidden])');
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector(ready, { timeout: 60_000 });
  return page;
}

describe('admission', () => {
  it('shows a pending member that they wait to be admitted, and no inbox', async () => {
    const page = await signIn('arif', '#pending-view:not([hidden])', 360);
    expect(await page.isHidden('#inbox-view')).toBe(true);
    expect(await page.textContent('#pending-view')).toMatch(/administrator of your team must admit you/);
    await page.waitForFunction(() => /[0-9A-F]{4}( [0-9A-F]{4}){9}/.test(document.querySelector('#pending-fingerprint')?.textContent ?? ''));
    expect(await page.textContent('#pending-fingerprint')).toContain(groupFingerprint(newcomer.keyPair.privateKey.fingerprint));
    await page.screenshot({ path: `${SHOTS}/pending-360.png`, fullPage: true });
    await page.context().close();
  });

  it('offers a pending administrator none of the administrators’ pages', async () => {
    await server.addInvestigator(server.team, { username: 'amina', role: 'admin', password: PASSWORD, admitted: false, certified: false });
    const page = await signIn('amina', '#pending-view:not([hidden])');
    // The links sit in the closed account menu: ask each for its own `hidden`, not whether it can be seen.
    for (const link of ['#members-link', '#teams-link', '#channels-link']) {
      expect(await page.$eval(link, (el) => (el as HTMLElement).hidden), link).toBe(true);
    }
    await page.context().close();
  });

  it('lets an administrator admit with the recovery key file, refusing another key first', async () => {
    const page = await signIn('lead', '#inbox-view:not([hidden])');
    await page.goto(`${server.url}/team#/members`);
    await page.waitForSelector(`#members-list li[data-member-id="${newcomer.id}"][data-state="pending"]`);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: `${SHOTS}/members-pending-360.png`, fullPage: true });
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.click(`[data-admit="${newcomer.id}"]`);
    await page.waitForSelector('#admit-panel:not([hidden])');
    // The key the administrator is about to certify, as the newcomer's waiting page shows it to them.
    expect(await page.textContent('#admit-member-key')).toContain(groupFingerprint(newcomer.keyPair.privateKey.fingerprint));
    // Typed back from the newcomer's waiting page, in groups as it shows them.
    await page.fill('#admit-check', groupFingerprint(newcomer.keyPair.privateKey.fingerprint).slice(-19));

    const stranger = await generateKeyPair({ name: 'Not the recovery key', kind: 'team' });
    await page.fill('#admit-paste', await exportArmoredPrivateKey(stranger.privateKey));
    await page.click('#admit-submit');
    await page.waitForSelector('#admit-error:not([hidden])');
    expect(await page.textContent('#admit-error')).toMatch(/not your team’s recovery key/);
    expect(server.repos.investigators.find(newcomer.id)!.admittedDay).toBeNull();
    expect(await page.inputValue('#admit-paste')).toBe(''); // a private key, even the wrong one, does not stay in the page
    await page.screenshot({ path: `${SHOTS}/admit-wrong-key.png`, fullPage: true });

    await page.fill('#admit-paste', '');
    await page.setInputFiles('#admit-file', {
      name: 'ombud-recovery-key.asc', mimeType: 'application/pgp-keys',
      buffer: Buffer.from(await exportArmoredPrivateKey(server.team.recovery.privateKey)),
    });
    await page.click('#admit-submit');
    await page.waitForSelector(`#members-list li[data-member-id="${newcomer.id}"][data-state="admitted"]`, { timeout: 60_000 });
    expect(await page.textContent('#members-status')).toMatch(/Arif Rahman is admitted/);
    expect(await page.inputValue('#admit-paste')).toBe('');
    await page.screenshot({ path: `${SHOTS}/members-admitted.png`, fullPage: true });

    const stored = server.repos.investigators.find(newcomer.id)!;
    expect(stored.admittedDay).not.toBeNull();
    expect(await isCertifiedBy({ publicKey: stored.publicKey, certifierPublicKey: server.team.recovery.publicKey })).toBe(true);
    expect(server.repos.investigators.activeOfTeam(server.team.id).map((i) => i.id)).toContain(newcomer.id);
    await page.context().close();
  });
});

describe('founding a team', () => {
  it('gives the deployment administrator a link; the founder makes the team and sees its recovery key once', async () => {
    const page = await signIn('lead', '#inbox-view:not([hidden])');
    await page.goto(`${server.url}/team#/teams`);
    await page.waitForSelector(`#teams-list li[data-team-id="${server.team.id}"]`);
    expect(await page.textContent(`#teams-list li[data-team-id="${server.team.id}"] .fingerprint`))
      .toBe(server.team.recovery.privateKey.fingerprint.toUpperCase().match(/.{4}/g)!.join(' '));
    await page.fill('#found-team-name', 'Supplier grievance committee');
    await page.fill('#found-founder-name', 'Dewi Lestari');
    await page.click('#found-submit');
    await page.waitForSelector('#found-result:not([hidden])');
    const link = await page.inputValue('#found-link');
    expect(link).toMatch(/\/join#found=[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: `${SHOTS}/teams.png`, fullPage: true });
    await page.context().close();

    const founder = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 800 } })).newPage();
    await founder.goto(link);
    await founder.waitForSelector('#join-form:not([hidden])');
    expect(await founder.textContent('#join-heading')).toContain('Supplier grievance committee');
    await founder.fill('#join-username', 'dewi');
    await founder.fill('#join-password', PASSWORD);
    await founder.fill('#join-password2', PASSWORD);
    await founder.click('#join-submit');
    await founder.waitForSelector('#recovery-view:not([hidden])', { timeout: 60_000 });
    const armored = (await founder.textContent('#recovery-key'))!;
    expect(armored).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    await founder.screenshot({ path: `${SHOTS}/found-recovery-360.png`, fullPage: true });
    await founder.check('#recovery-saved');
    await founder.click('#recovery-continue');
    await founder.waitForSelector('#join-status:not([hidden])');
    expect(await founder.textContent('#join-status')).toMatch(/exists and you are its administrator/);
    expect(await founder.textContent('#recovery-key')).toBe('');

    const team = server.repos.teams.list().find((x) => x.name === 'Supplier grievance committee')!;
    const [dewi] = server.repos.investigators.activeOfTeam(team.id);
    expect(dewi).toMatchObject({ username: 'dewi', role: 'admin' });
    expect(await isCertifiedBy({ publicKey: dewi!.publicKey, certifierPublicKey: team.recoveryPublicKey })).toBe(true);
    expect(JSON.stringify(server.db.prepare('SELECT * FROM teams').all())).not.toContain(armored.split('\n')[2]);
    await founder.context().close();
  });
});
