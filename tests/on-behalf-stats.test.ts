/**
 * A report received in person, entered by an investigator on the worker's
 * behalf, through the same encrypted intake a worker's browser uses: the
 * investigator gets a token to hand over (never stored), the audit trail
 * records who entered the case, and the worker opens the status page with the
 * token and sees their report. Then the statistics view counts the cases of
 * the year, computed in the browser from what it decrypts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusView } from '../common/api.ts';
import { encryptPayload, toBase64Url, utf8 } from '../crypto/index.ts';
import { dayOf } from '../server/clock.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn } from './support/first-team.ts';

const PASSWORD = 'Correct-Horse-OnBehalf-Battery';
const WHAT = 'CANARY-onbehalf The dormitory doors are locked at night.';

let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let page: Page;
let token = '';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's serious and critical findings on the page as it is now (as in a11y.test.ts). */
async function seriousViolations(p: Page): Promise<string[]> {
  await p.evaluate(AXE_SOURCE);
  const violations = await p.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

function reportText(category: string, what: string): Uint8Array {
  const report = { v: 1, lang: 'en', category, what, when: '', where: '', ongoing: 'yes', involved: '', wish: '', contact: '' };
  return new TextEncoder().encode(JSON.stringify(report));
}

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  const answered = await server.submitReport({ plaintext: reportText('wages', 'Unpaid overtime.') });
  await server.submitReport({ plaintext: reportText('wages', 'Pay slips missing.') });
  // The first case: acknowledged the next day, closed after 20 days, and the worker answers the question with 4.
  server.clock.advance({ days: 1 });
  await (await server.login(lead)).post(`/api/cases/${answered.caseId}/stage`, { stage: 'acknowledged' }).expect(200);
  server.clock.advance({ days: 19 });
  await (await server.login(lead)).post(`/api/cases/${answered.caseId}/stage`, { stage: 'closed', reason: 'paid', outcome: 'substantiated' }).expect(200);
  const view = (await request(server.app).post('/api/status').set('Content-Type', 'application/json').send(answered.credentials).expect(200)).body as StatusView;
  const answer = { v: 1, kind: 'satisfaction', level: 4, text: '' };
  const body = toBase64Url(await encryptPayload({ data: utf8(JSON.stringify(answer)), recipients: [...view.teamKeys, view.reporterPublicKey] }));
  await request(server.app).post('/api/status/satisfaction').set('Content-Type', 'application/json').send({ ...answered.credentials, body }).expect(201);
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await signIn(page, server.url, { username: lead.username, password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a report entered on a worker’s behalf', () => {
  it('is encrypted and sent like a worker’s, and gives the investigator a token to hand over', async () => {
    await page.click('#on-behalf-link');
    await page.waitForSelector('#on-behalf-view:not([hidden])');
    // The team's only channel is suggested and its team ticked.
    await expect.poll(() => page.inputValue('#ob-channel')).toBe(server.team.channelSlug);
    await page.waitForSelector(`#ob-team-${server.team.id}:checked`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.check('#ob-mode-in_person');
    await page.selectOption('#ob-lang', 'vi');
    await page.selectOption('#ob-category', 'living');
    await page.fill('#ob-what', WHAT);
    await page.click('#ob-submit');
    await page.waitForSelector('#ob-result:not([hidden])', { timeout: 60_000 });

    token = (await page.locator('#ob-token .group').allTextContents()).join('');
    expect(token).toMatch(/^\d{28}$/);
    expect((await page.locator('#ob-slip-token .group').allTextContents()).join('')).toBe(token);
    expect(await page.getAttribute('#ob-slip', 'lang')).toBe('vi');
    expect(await page.textContent('#ob-slip')).toContain(`${server.url}/status`);
    expect(await page.isVisible('#ob-unrecorded')).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);

    const cases = server.repos.caseLists.listForInvestigator(server.team.id, lead.id);
    expect(cases).toHaveLength(3);
    const entered = server.repos.audit.list().filter((e) => e.action === 'case.entered_on_behalf');
    expect(entered).toHaveLength(1);
    expect(entered[0]!.investigatorId).toBe(lead.id);
    const newest = cases.find((c) => c.id === entered[0]!.caseId);
    expect(newest).toBeDefined();
    // The server holds ciphertext only.
    expect(Buffer.from(server.repos.cases.find(newest!.id)!.report).toString('latin1')).not.toContain('CANARY');
  });

  it('keeps the token nowhere once the investigator is done', async () => {
    await page.click('#ob-done');
    expect(await page.isVisible('#ob-result')).toBe(false);
    expect(await page.locator('#ob-token').textContent()).toBe('');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored.replaceAll(/\D/g, '')).not.toContain(token);
  });

  it('lets the worker open the status page with the token and see the report', async () => {
    const worker = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await worker.goto(`${server.url}/status`);
    await worker.fill('#token-input', token);
    await worker.click('#token-open');
    await worker.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    await expect.poll(() => worker.textContent('#own-report')).toContain(WHAT);
    await worker.context().close();
  });
});

describe('the statistics view', () => {
  const bar = (chart: string, key: string) => page.getAttribute(`figure[data-chart="${chart}"] g.bar[data-key="${key}"]`, 'data-count');

  it('counts the year’s cases per month, category, channel and stage, decrypted in the browser', async () => {
    await page.goto(`${server.url}/team#/stats`);
    await page.waitForSelector('#stats-view:not([hidden])');
    await page.selectOption('#stats-year', '2025');
    await expect.poll(() => page.textContent('#stats-total'), { timeout: 60_000 }).toBe('3 cases received in 2025.');
    expect(await bar('month', '2025-03')).toBe('2');
    expect(await bar('month', '2025-04')).toBe('1');
    expect(await bar('month', '2025-05')).toBe('0');
    expect(await bar('category', 'wages')).toBe('2');
    expect(await bar('category', 'living')).toBe('1');
    expect(await bar('stage', 'received')).toBe('2');
    expect(await bar('stage', 'closed')).toBe('1');
    expect(await bar('satisfaction', '4')).toBe('1');
    expect(await bar('satisfaction', '1')).toBe('0');
    expect(await page.locator('figure[data-chart="channel"] g.bar').count()).toBe(1);
    // Acknowledged after 1 day, in time; the two others are past their deadline (the test server's clock is in 2025).
    expect(await page.textContent('#stats-ack')).toContain('Median time in days: 1');
    expect(await page.textContent('#stats-ack')).toContain('Deadlines met: 1 of 3 (33%)');
    expect(await page.textContent('#stats-feedback')).toContain('Median time in days: 20');
    expect(await page.locator('#stats-body svg rect').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('the channel of a report entered on a worker’s behalf', () => {
  it('shows the teams of the channel typed last, even when an earlier channel answers after it, and sends nothing before they are shown', async () => {
    // A second channel with a second team; the suggested channel's answer is held back until the second one is shown.
    const supplier = await server.addTeam({ name: 'Supplier committee', runsDeployment: false });
    server.repos.channels.create({ slug: 'factory-two', name: 'Factory Two', createdDay: dayOf(server.clock.now()), teamIds: [server.team.id, supplier.id] });
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let answered = false;
    await page.route(`**/api/channels/${server.team.channelSlug}`, async (route) => {
      await held;
      await route.continue();
      answered = true;
    });
    await page.goto(`${server.url}/team#/inbox`);
    await page.click('#on-behalf-link');
    await page.waitForSelector('#on-behalf-view:not([hidden])');
    await expect.poll(() => page.inputValue('#ob-channel')).toBe(server.team.channelSlug);
    // While the suggested channel loads, no team can be ticked.
    await expect.poll(() => page.getAttribute('#ob-teams', 'aria-busy')).toBe('true');
    expect(await page.locator('#ob-teams input').count()).toBe(0);
    // Sending now sends nothing: the form waits for the teams, then shows them for a look first.
    const intakes: string[] = [];
    page.on('request', (r) => void (r.method() === 'POST' && r.url().includes('/api/intake') && intakes.push(r.url())));
    await page.check('#ob-mode-in_person');
    await page.fill('#ob-what', 'Sent before the teams were shown.');
    await page.click('#ob-submit');

    await page.fill('#ob-channel', 'factory-two');
    await page.dispatchEvent('#ob-channel', 'change');
    await page.waitForSelector('#ob-teams[data-channel="factory-two"][aria-busy="false"] input');
    const names = () => page.locator('#ob-teams label').allTextContents();
    expect(await names()).toHaveLength(2);
    expect(await names()).toContain('Supplier committee');

    release();
    await expect.poll(() => answered).toBe(true);
    await page.waitForTimeout(500); // the late answer's keys are read and dropped
    expect(await page.getAttribute('#ob-teams', 'data-channel')).toBe('factory-two');
    expect(await names()).toHaveLength(2);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('ob-teams');
    expect(intakes).toEqual([]);
    await page.unroute(`**/api/channels/${server.team.channelSlug}`);
  });
});
