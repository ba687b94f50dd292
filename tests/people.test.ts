/**
 * People come and go, in Chromium against the real server:
 * (a) a case received before a colleague joined becomes readable by them once
 *     an administrator admits them with the recovery key in the members list
 *     (the session keys are re-wrapped in the administrator's browser), and
 *     "Give access to earlier cases" carries on for a member who lacks some;
 * (b) a removed investigator gets no new case, and their open session is
 *     refused;
 * (c) with the team's recovery key, /recover makes a new administrator who
 *     reads the cases received before and removes a lost account.
 * Screenshots of the pages and dialogs at 360 px and desktop go to
 * /tmp/shots-people/.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload, describePublicKey, exportArmoredPrivateKey, fromUtf8, generateKeyPair, inspectMessage } from '../crypto/index.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const SHOTS = '/tmp/shots-people';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN_PASSWORD = 'Correct-Horse-People-Admin';
const NEWCOMER_PASSWORD = 'Newcomer-Password-Long-4';
const OLD_CASE = 'CANARY-people The fire exit in hall 3 is chained shut.';

let server: ListeningTestServer;
let browser: Browser;
let admin: TestInvestigator;
let oldCaseId = '';

function reportText(what: string): Uint8Array {
  const report = { v: 1, lang: 'en', category: 'health_safety', what, when: 'Since May', where: 'Hall 3', ongoing: 'yes', involved: '', wish: '', contact: '' };
  return new TextEncoder().encode(JSON.stringify(report));
}

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width, height: 900 } });
  return context.newPage();
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${server.url}/team`);
  await page.waitForSelector('#login-form:not([hidden])');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });
}

async function readCase(page: Page, caseId: string, text: string): Promise<void> {
  await page.goto(`${server.url}/team#/case/${caseId}`);
  await expect.poll(() => page.textContent('#case-report'), { timeout: 60_000 }).toContain(text);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** axe-core's serious and critical findings on the page as it is now (as tests/a11y.test.ts checks the reporter pages). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    type Found = { id: string; impact: string | null; help: string };
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Found[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

async function openMembers(page: Page): Promise<void> {
  await page.click('#account-name');
  await page.click('#members-link');
  await page.waitForSelector('#members-view:not([hidden]) #members-list li');
}

/** Whether the report of `caseId` opens with the investigator's key, as stored now. */
async function canOpen(investigator: TestInvestigator, caseId: string): Promise<boolean> {
  return decryptPayload({ ciphertext: server.repos.cases.find(caseId)!.report, key: investigator.keyPair.privateKey }).then(() => true, () => false);
}

let keyFile = '';
async function recoveryKeyFile(): Promise<string> {
  if (keyFile) return keyFile;
  keyFile = join(mkdtempSync(join(tmpdir(), 'ombud-recovery-')), 'csr-team-recovery-key.asc');
  writeFileSync(keyFile, await exportArmoredPrivateKey(server.team.recovery.privateKey));
  return keyFile;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  admin = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: ADMIN_PASSWORD });
  oldCaseId = (await server.submitReport({ plaintext: reportText(OLD_CASE) })).caseId;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('people come and go', () => {
  it('(a) an administrator admits a newcomer, and the case received before they joined becomes readable to them', async () => {
    const newcomer = await server.addInvestigator(server.team, {
      username: 'nadia', displayName: 'Nadia Newcomer', password: NEWCOMER_PASSWORD, admitted: false, certified: false,
    });
    expect(await canOpen(newcomer, oldCaseId)).toBe(false);
    const page = await newPage();
    await signIn(page, 'lead', ADMIN_PASSWORD);
    await openMembers(page);
    await page.click(`[data-admit="${newcomer.id}"]`);
    await page.fill('#admit-check', newcomer.keyPair.privateKey.fingerprint.slice(-16));
    await page.setInputFiles('#admit-file', await recoveryKeyFile());
    await page.click('#admit-submit');
    await page.waitForSelector(`#members-list li[data-member-id="${newcomer.id}"][data-state="admitted"]`, { timeout: 120_000 });
    await expect.poll(() => page.textContent('#members-status')).toMatch(/Nadia Newcomer is admitted.*[1-9]\d* earlier items/);
    await shot(page, 'members-desktop');
    expect(await canOpen(newcomer, oldCaseId)).toBe(true);
    const shared = server.repos.audit.list().filter((e) => e.action === 'team.cases_shared');
    expect(shared.at(-1)?.detail).toMatchObject({ member: newcomer.id, skipped: 0 });
    await page.context().close();

    const theirs = await newPage(360);
    await signIn(theirs, 'nadia', NEWCOMER_PASSWORD);
    await readCase(theirs, oldCaseId, OLD_CASE);
    await theirs.context().close();
  });

  it('(a) "Give access to earlier cases" carries on for an admitted member who still lacks cases', async () => {
    const late = await server.addInvestigator(server.team, { username: 'lars', displayName: 'Lars Late', password: 'Lars-Password-Long-3' });
    expect(await canOpen(late, oldCaseId)).toBe(false);
    const page = await newPage(360);
    await signIn(page, 'lead', ADMIN_PASSWORD);
    await openMembers(page);
    await page.click(`[data-give-access="${late.id}"]`);
    await expect.poll(() => page.textContent(`[data-member-status="${late.id}"]`), { timeout: 120_000 }).toMatch(/Done\. Earlier items made readable for them: [1-9]\d*\./);
    await shot(page, 'members-360');
    expect(await canOpen(late, oldCaseId)).toBe(true);
    await page.click(`[data-give-access="${late.id}"]`);
    await expect.poll(() => page.textContent(`[data-member-status="${late.id}"]`), { timeout: 60_000 }).toMatch(/Done\. Earlier items made readable for them: 0\./);
    await page.context().close();
  });

  it('(b) removes an investigator from the members list: their open session is refused and new cases leave them out', async () => {
    const leaver = await server.addInvestigator(server.team, { username: 'leaver', displayName: 'Leo Leaver', password: 'Leaver-Password-Long-1' });
    const theirs = await newPage();
    await signIn(theirs, 'leaver', 'Leaver-Password-Long-1');

    for (const width of [360, 1280]) {
      const page = await newPage(width);
      await signIn(page, 'lead', ADMIN_PASSWORD);
      await openMembers(page);
      await page.click(`[data-remove="${leaver.id}"]`);
      await page.waitForSelector('#remove-dialog[open]');
      expect(await page.textContent('#remove-dialog')).toMatch(/cannot take back.*stays readable with their private key/);
      await shot(page, `remove-dialog-${width === 360 ? '360' : 'desktop'}`);
      expect(await seriousViolations(page)).toEqual([]);
      if (width === 360) {
        await page.click('#remove-cancel');
        expect(server.repos.investigators.find(leaver.id)?.disabled).toBe(false);
      } else {
        await page.click('#remove-confirm');
        await page.waitForSelector(`#members-list li[data-member-id="${leaver.id}"][data-state="disabled"]`);
        expect(await page.locator(`[data-remove="${leaver.id}"]`).count()).toBe(0);
      }
      await page.context().close();
    }
    expect(server.repos.investigators.find(leaver.id)?.disabled).toBe(true);

    await theirs.goto(`${server.url}/team#/case/${oldCaseId}`);
    await theirs.reload();
    await theirs.waitForSelector('#login-form:not([hidden])', { timeout: 60_000 });
    expect(await theirs.isHidden('#case-view')).toBe(true);
    await theirs.fill('#login-username', 'leaver');
    await theirs.fill('#login-password', 'Leaver-Password-Long-1');
    await theirs.click('#login-submit');
    await expect.poll(() => theirs.textContent('#login-error'), { timeout: 60_000 }).toMatch(/wrong username or password/i);
    await theirs.context().close();

    const { caseId } = await server.submitReport({ plaintext: reportText('A new case after Leo left.') });
    const stored = server.repos.cases.find(caseId)!.report;
    const inspected = inspectMessage(stored);
    const leaverKeyId = (await describePublicKey(leaver.keyPair.publicKey)).encryptionKeyIds[0];
    expect(inspected.ok && inspected.recipientKeyIds).not.toContain(leaverKeyId);
    await expect(decryptPayload({ ciphertext: stored, key: leaver.keyPair.privateKey })).rejects.toThrow();
    expect(fromUtf8(await decryptPayload({ ciphertext: stored, key: admin.keyPair.privateKey }))).toContain('after Leo left');
  });

  it('(c) recovers the team with its recovery key: a new administrator reads the earlier cases', async () => {
    const page = await newPage(360);
    await page.goto(`${server.url}/team`); // the way there: the sign-in form links to /recover
    await page.waitForSelector('#login-form:not([hidden]) #login-recover');
    await shot(page, 'login-recover-link-360');
    await page.click('#login-recover');
    await page.waitForSelector('#recover-form', { timeout: 60_000 });
    expect(page.url()).toBe(`${server.url}/recover`);
    await shot(page, 'recover-360');
    await page.click('#recover-submit');
    expect(await page.textContent('#recover-error')).toMatch(/Load the recovery key/);
    // A key of no team here: refused, nothing created.
    const stranger = await generateKeyPair({ name: 'Not our recovery key' });
    await page.fill('#recover-key-text', await exportArmoredPrivateKey(stranger.privateKey));
    await page.fill('#recover-display-name', 'Mallory');
    await page.fill('#recover-username', 'mallory');
    await page.fill('#recover-password', 'Mallory-Password-Long-5');
    await page.fill('#recover-password2', 'Mallory-Password-Long-5');
    await page.click('#recover-submit');
    await expect.poll(() => page.textContent('#recover-error'), { timeout: 60_000 }).toMatch(/belongs to no team on this server/);
    await shot(page, 'recover-error-360');
    expect(await seriousViolations(page)).toEqual([]);
    expect(server.repos.investigators.findByUsername('mallory')).toBeUndefined();
    // A private key that was used stays in the page neither after success nor after a refusal.
    expect(await page.inputValue('#recover-key-text')).toBe('');
    await page.fill('#recover-key-text', '');
    await page.setInputFiles('#recover-key-file', await recoveryKeyFile());
    await expect.poll(() => page.textContent('#recover-key-status')).toContain('csr-team-recovery-key.asc');
    await page.fill('#recover-display-name', 'Rita Rescuer');
    await page.fill('#recover-username', 'rita');
    await page.fill('#recover-password', 'Rescue-Password-Long-2');
    await page.fill('#recover-password2', 'Rescue-Password-Long-2');
    await page.click('#recover-submit');
    await page.waitForSelector('#recover-done:not([hidden])', { timeout: 120_000 });
    expect(await page.textContent('#recover-done-text')).toMatch(/administrator of CSR team \(username rita\)\. Earlier items made readable for you: [1-9]\d*\./);
    await shot(page, 'recover-done-360');
    expect(await seriousViolations(page)).toEqual([]);
    const rita = server.repos.investigators.findByUsername('rita')!;
    expect(rita).toMatchObject({ role: 'admin', disabled: false, teamId: server.team.id });
    expect(server.repos.audit.list().map((e) => e.action)).toContain('team.recovered');
    expect(JSON.stringify(server.repos.audit.list())).not.toContain('PRIVATE KEY');

    // Cut off after the account was made? The same key, username and password carry on.
    const again = await newPage(360);
    await again.goto(`${server.url}/recover`);
    await again.waitForSelector('#recover-form', { timeout: 60_000 });
    await again.setInputFiles('#recover-key-file', await recoveryKeyFile());
    await expect.poll(() => again.textContent('#recover-key-status')).toContain('csr-team-recovery-key.asc');
    await again.fill('#recover-display-name', 'Rita Rescuer');
    await again.fill('#recover-username', 'rita');
    await again.fill('#recover-password', 'Rescue-Password-Long-2');
    await again.fill('#recover-password2', 'Rescue-Password-Long-2');
    await again.click('#recover-submit');
    await again.waitForSelector('#recover-done:not([hidden])', { timeout: 120_000 });
    expect(await again.textContent('#recover-done-text')).toMatch(/Earlier items made readable for you: 0\./);
    expect(server.repos.investigators.ofTeam(server.team.id).filter((m) => m.username === 'rita')).toHaveLength(1);
    await again.context().close();

    const desktop = await newPage();
    await desktop.goto(`${server.url}/recover`);
    await desktop.waitForSelector('#recover-form', { timeout: 60_000 });
    await shot(desktop, 'recover-desktop');
    await signIn(desktop, 'rita', 'Rescue-Password-Long-2');
    await readCase(desktop, oldCaseId, OLD_CASE);
    // …and removes an account whose password was lost.
    await openMembers(desktop);
    await desktop.click(`[data-remove="${admin.id}"]`);
    await desktop.click('#remove-confirm');
    await desktop.waitForSelector(`#members-list li[data-member-id="${admin.id}"][data-state="disabled"]`);
    expect(server.repos.investigators.find(admin.id)?.disabled).toBe(true);
    await desktop.context().close();
    await page.context().close();
  });
});
