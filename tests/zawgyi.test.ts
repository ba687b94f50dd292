/**
 * Burmese typed with a Zawgyi keyboard, in Chromium against the real server:
 * the case view shows a Zawgyi "what happened" converted to Unicode with a
 * visible flag and the original behind it, leaves a Unicode Burmese field
 * alone, and loads the detector only for a case that has Myanmar letters.
 * The stored ciphertext is the one the worker sent, before and after.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn } from './support/first-team.ts';

const PASSWORD = 'Correct-Horse-Zawgyi-Battery';
/** "Makes us work overtime until midnight", typed on a Zawgyi phone, and the same in Unicode. */
const ZAWGYI = 'ည သန္းေခါင္အထိ အခ်ိန္ပိုဆင္းခိုင္းတယ္';
const UNICODE = 'ည သန်းခေါင်အထိ အချိန်ပိုဆင်းခိုင်းတယ်';
/** "Sewing hall 3", typed in Unicode. */
const WHERE = 'ချုပ်ရုံ ၃';

let server: ListeningTestServer;
let browser: Browser;
let investigator: TestInvestigator;
let page: Page;
let burmeseCase: string;
let englishCase: string;
/** The start of the detector's model (base64 of "UZMODEL"): only the detector's own chunk has it. */
const DETECTOR_MODEL = 'VVpNT0RFTC';
/** Scripts this page fetched that carry the Zawgyi detector. */
const detectorLoads: string[] = [];

const report = (lang: string, what: string, when: string, where: string) =>
  new TextEncoder().encode(JSON.stringify({ v: 1, lang, category: 'working_hours', what, when, where, ongoing: 'yes', involved: '', wish: '', contact: '' }));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's serious and critical findings on the page as it is now (as in a11y.test.ts). */
async function seriousViolations(): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    type Found = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Found[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const storedReport = (caseId: string) => (server.db.prepare('SELECT report FROM cases WHERE id = ?').get(caseId) as { report: Buffer }).report;

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  investigator = await server.addInvestigator(server.team, { username: 'reader', displayName: 'Ray Reader', password: PASSWORD });
  ({ caseId: burmeseCase } = await server.submitReport({ plaintext: report('my', ZAWGYI, 'ညတိုင်း', WHERE) }));
  ({ caseId: englishCase } = await server.submitReport({ plaintext: report('en', 'The line leader shouts at us.', 'Every night', 'Hall 3') }));
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    void response.text().then((body) => {
      if (body.includes(DETECTOR_MODEL)) detectorLoads.push(`${response.url()} for ${page.url()}`);
    }, () => undefined);
  });
  await signIn(page, server.url, { username: investigator.username, password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a report typed in Zawgyi', () => {
  it('does not load the detector for a case without Burmese', async () => {
    await page.goto(`${server.url}/team#/case/${englishCase}`);
    await expect.poll(() => page.textContent('#case-report'), { timeout: 60_000 }).toContain('The line leader shouts at us.');
    await page.waitForTimeout(500);
    expect(await page.locator('[data-zawgyi-flag]').count()).toBe(0);
    expect(detectorLoads).toEqual([]);
  });

  it('shows Zawgyi converted to Unicode with a visible flag and the original behind it; Unicode Burmese is not flagged', async () => {
    const before = storedReport(burmeseCase);
    await page.goto(`${server.url}/team#/case/${burmeseCase}`);
    const flag = page.locator('#case-report [data-zawgyi-flag]');
    await flag.waitFor({ timeout: 60_000 });
    expect(await flag.count()).toBe(1);
    expect(await flag.locator('summary').isVisible()).toBe(true);
    expect(await flag.locator('summary').textContent()).toBe('Typed in Zawgyi, converted — original:');
    const what = page.locator('#case-report dd[data-zawgyi="converted"]');
    expect(await what.evaluate((dd) => dd.firstChild?.textContent)).toBe(UNICODE);
    expect(await flag.locator('.zawgyi-original').isVisible()).toBe(false);
    await flag.locator('summary').click();
    expect(await flag.locator('.zawgyi-original').isVisible()).toBe(true);
    expect(await flag.locator('.zawgyi-original').textContent()).toBe(ZAWGYI);
    expect(await seriousViolations()).toEqual([]);
    // The Unicode field (where) is shown as typed, with no flag.
    const where = page.locator('#case-report dd', { hasText: WHERE });
    expect(await where.getAttribute('data-zawgyi')).toBeNull();
    expect(detectorLoads.length).toBeGreaterThan(0);
    // Only the page changed: the stored case, ciphertext included, is as the worker sent it.
    expect(storedReport(burmeseCase)).toEqual(before);
  });
});
