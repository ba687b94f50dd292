/**
 * Retention and legal holds in the workspace, in Chromium against the real
 * app: an administrator changes how long closed cases are kept, puts a case
 * on legal hold with a reason (warned that it is clear text), sees the badge
 * in the inbox, and lifts the hold; a colleague who is not an administrator
 * sees the hold but no form. Screenshots go to /tmp/shots-ops/.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn as signInAt } from './support/first-team.ts';

const PASSWORD = 'Correct-Horse-Retention-Battery';
const SHOTS = '/tmp/shots-ops';

let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let colleague: TestInvestigator;
let caseId: string;

async function signIn(who: TestInvestigator, width = 1280): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signInAt(page, server.url, { username: who.username, password: PASSWORD });
  return page;
}

async function openCase(page: Page): Promise<void> {
  await page.goto(`${server.url}/team#/case/${caseId}`);
  await page.waitForSelector('#case-retention #case-hold-status');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  colleague = await server.addInvestigator(server.team, { username: 'colleague', displayName: 'Cem Colleague', password: PASSWORD });
  ({ caseId } = await server.submitReport());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('retention in the workspace', () => {
  it('lets an administrator change how long closed cases are kept, within bounds', async () => {
    const page = await signIn(lead);
    await page.waitForSelector('#team-retention-form');
    expect(await page.textContent('#team-retention-current')).toContain('730 days');
    await page.fill('#team-retention-days', '10');
    await page.click('#team-retention-form-submit');
    expect(await page.textContent('#team-retention-form-error')).toContain('between 30 and 3650');
    await page.fill('#team-retention-days', '365');
    await page.click('#team-retention-form-submit');
    await page.waitForFunction(() => document.querySelector('#team-retention-current')?.textContent?.includes('365 days'));
    expect(server.repos.retention.retentionDays(server.team.id)).toBe(365);
    await page.screenshot({ path: `${SHOTS}/inbox-retention.png`, fullPage: true });
    await page.context().close();
  });

  it('puts a case on legal hold with a warned, clear-text reason, marks it in the inbox, and lifts it', async () => {
    const page = await signIn(lead);
    await openCase(page);
    expect(await page.textContent('#case-hold-reason-hint')).toMatch(/in the clear.*never details of the report/);
    await page.click('#case-hold-form-submit');
    expect(await page.textContent('#case-hold-form-error')).toContain('why the case must be kept');
    await page.fill('#case-hold-reason', 'Court order 2025/114');
    await page.click('#case-hold-form-submit');
    await page.waitForSelector('#case-hold-lift');
    expect(await page.textContent('#case-hold-status')).toMatch(/On legal hold since .* \(set by Lia Lead\): Court order 2025\/114/);
    expect(server.repos.retention.holdOf(caseId)?.reason).toBe('Court order 2025/114');
    await page.screenshot({ path: `${SHOTS}/case-on-hold.png`, fullPage: true });

    await page.goto(`${server.url}/team#/`);
    await page.waitForSelector(`#case-rows tr[data-case-id="${caseId}"] .legal-hold`);
    expect(await page.textContent(`#case-rows tr[data-case-id="${caseId}"] .legal-hold`)).toBe('Legal hold');

    const narrow = await signIn(colleague, 360);
    await openCase(narrow);
    expect(await narrow.textContent('#case-hold-status')).toContain('On legal hold');
    expect(await narrow.locator('#case-hold-lift, #case-hold-form').count()).toBe(0);
    await narrow.screenshot({ path: `${SHOTS}/case-on-hold-360-colleague.png`, fullPage: true });
    await narrow.context().close();

    await openCase(page);
    await page.click('#case-hold-lift-submit');
    await page.waitForSelector('#case-hold-form');
    expect(await page.textContent('#case-hold-status')).toContain('Once closed, this case is kept for 365 days');
    expect(server.repos.retention.holdOf(caseId)).toBeUndefined();
    const actions = server.repos.audit.list().map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['team.retention_changed', 'case.legal_hold_set', 'case.legal_hold_lifted']));
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: `${SHOTS}/case-hold-form-360.png`, fullPage: true });
    await page.context().close();
  });
});
