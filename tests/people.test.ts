/**
 * People come and go, in Chromium against the real server:
 * (a) a case received before a colleague joined becomes readable by them once
 *     an administrator gave them access (the members list's button re-wraps
 *     the session keys in the administrator's browser);
 * (b) a removed investigator gets no new case, and their open session is
 *     refused;
 * (c) with the team's recovery key, /recover makes a new administrator who
 *     reads the cases received before.
 * Screenshots of the pages and dialogs at 360 px and desktop go to
 * /tmp/shots-people/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload, exportArmoredPrivateKey, fromUtf8, inspectMessage, describePublicKey } from '../crypto/index.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const SHOTS = '/tmp/shots-people';
const ADMIN_PASSWORD = 'Correct-Horse-People-Admin';
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
  it('(b) refuses a removed investigator’s open session and leaves them out of new cases', async () => {
    const leaver = await server.addInvestigator(server.team, { username: 'leaver', displayName: 'Leo Leaver', password: 'Leaver-Password-Long-1' });
    const page = await newPage();
    await signIn(page, 'leaver', 'Leaver-Password-Long-1');
    await page.goto(`${server.url}/team#/`);

    const lead = await server.login(admin);
    await lead.post(`/api/team/members/${leaver.id}/remove`).expect(200);

    await page.goto(`${server.url}/team#/case/${oldCaseId}`);
    await page.reload();
    await page.waitForSelector('#login-form:not([hidden])', { timeout: 60_000 });
    expect(await page.isHidden('#case-view')).toBe(true);
    await page.fill('#login-username', 'leaver');
    await page.fill('#login-password', 'Leaver-Password-Long-1');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-error'), { timeout: 60_000 }).toMatch(/wrong username or password/i);

    const { caseId } = await server.submitReport({ plaintext: reportText('A new case after Leo left.') });
    const stored = server.repos.cases.find(caseId)!.report;
    const inspected = inspectMessage(stored);
    const leaverKeyId = (await describePublicKey(leaver.keyPair.publicKey)).encryptionKeyIds[0];
    expect(inspected.ok && inspected.recipientKeyIds).not.toContain(leaverKeyId);
    await expect(decryptPayload({ ciphertext: stored, key: leaver.keyPair.privateKey })).rejects.toThrow();
    expect(fromUtf8(await decryptPayload({ ciphertext: stored, key: admin.keyPair.privateKey }))).toContain('after Leo left');
    await page.context().close();
  });

  it('(c) recovers the team with its recovery key: a new administrator reads the earlier cases', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ombud-recovery-'));
    const keyFile = join(folder, 'csr-team-recovery-key.asc');
    writeFileSync(keyFile, await exportArmoredPrivateKey(server.team.recovery.privateKey));

    const page = await newPage(360);
    await page.goto(`${server.url}/recover`);
    await page.waitForSelector('#recover-form');
    await shot(page, 'recover-360');
    await page.click('#recover-submit');
    expect(await page.textContent('#recover-error')).toMatch(/Load the recovery key/);
    await page.setInputFiles('#recover-key-file', keyFile);
    await expect.poll(() => page.textContent('#recover-key-status')).toContain('csr-team-recovery-key.asc');
    await page.fill('#recover-display-name', 'Rita Rescuer');
    await page.fill('#recover-username', 'rita');
    await page.fill('#recover-password', 'Rescue-Password-Long-2');
    await page.fill('#recover-password2', 'Rescue-Password-Long-2');
    await page.click('#recover-submit');
    await page.waitForSelector('#recover-done:not([hidden])', { timeout: 120_000 });
    expect(await page.textContent('#recover-done-text')).toMatch(/administrator of CSR team \(username rita\)\. [1-9]\d* earlier items/);
    await shot(page, 'recover-done-360');
    const rita = server.repos.investigators.findByUsername('rita')!;
    expect(rita).toMatchObject({ role: 'admin', disabled: false, teamId: server.team.id });
    expect(server.repos.audit.list().map((e) => e.action)).toContain('team.recovered');
    expect(JSON.stringify(server.repos.audit.list())).not.toContain('PRIVATE KEY');

    const desktop = await newPage();
    await desktop.goto(`${server.url}/recover`);
    await desktop.waitForSelector('#recover-form');
    await shot(desktop, 'recover-desktop');
    await signIn(desktop, 'rita', 'Rescue-Password-Long-2');
    await readCase(desktop, oldCaseId, OLD_CASE);
    await desktop.context().close();
    await page.context().close();
  });
});
