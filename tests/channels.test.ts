/**
 * Teams and channels end to end, in Chromium: a deployment administrator
 * sets up a channel offering the plant's own grievance committee (ticked
 * for the worker) and the brand's CSR team; the worker attaches a photo,
 * then chooses only the brand's team — the photo is encrypted again for
 * that choice — and sends. Only the chosen team lists and opens the case
 * and decrypts the report and the photo; the committee sees nothing.
 *
 * The committee team is made directly with the server's test helpers
 * (server/testing.ts addTeam: a recovery key, an admitted administrator
 * whose key it certifies) rather than through the browser founding flow,
 * which has its own journey; everything about channels goes through the
 * browser.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectMessage } from '../crypto/index.ts';
import { listenTestServer, type ListeningTestServer, type TestTeam } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn } from './support/first-team.ts';

const PASSWORD = 'correct horse battery staple';
const WHAT = 'The fire exit behind line 4 is locked every night';
const photo = readFileSync(new URL('../client/media/fixtures/located.png', import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's serious and critical findings, and controls of the team choice smaller than a thumb (44 px) or off the screen. */
async function problems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe;
    const found = (await axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) found.push(`page is ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll<HTMLElement>('#team-choice input, #team-choice label')) {
      const box = el.getBoundingClientRect();
      if (box.width < 44 || box.height < 44 || box.right > width + 1) found.push(`${el.id || el.tagName} is ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return found;
  });
}

let server: ListeningTestServer;
let browser: Browser;
let committee: TestTeam;
let reportLink = '';
let caseId = '';

const contexts: BrowserContext[] = [];
async function newPage(width = 360): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width, height: 844 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return page;
}

beforeAll(async () => {
  server = await listenTestServer({
    config: { clientDir: resolve('dist/client') },
    team: { name: 'Brand CSR', channelSlug: 'brand-hq', admin: { username: 'csr.lead', password: PASSWORD } },
  });
  committee = await server.addTeam({
    name: 'Plant 3 committee', channelSlug: 'plant-3-own', runsDeployment: false,
    admin: { username: 'committee.lead', password: PASSWORD },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('a channel offering two teams', () => {
  it('is set up by a deployment administrator, with its pinned link', async () => {
    const page = await newPage(1280);
    await signIn(page, server.url, { username: 'csr.lead', password: PASSWORD });
    await page.click('#account-name');
    await page.click('#channels-link');
    await page.waitForSelector('#channels-list li[data-slug="brand-hq"]');
    await page.click('#channels-new');
    await page.fill('#channel-name', 'Shenzhen plant 3');
    await page.fill('#channel-slug', 'plant-3');
    await page.check(`#channel-team-${committee.id}`);
    await page.check(`#channel-pre-${committee.id}`);
    await page.selectOption(`#channel-role-${committee.id}`, 'workplace');
    await page.fill(`#channel-note-${committee.id}`, 'Elected by the workers');
    await page.check(`#channel-team-${server.team.id}`);
    await page.selectOption(`#channel-role-${server.team.id}`, 'brand');
    // The picker lists teams by name (Brand CSR first); the committee goes first on the form.
    await page.click(`#channel-teams li[data-key="${committee.id}"] .row-up`);
    await page.fill('#channel-run-by', 'The Brand CSR team');
    await page.click('#channel-add-contact');
    await page.fill('#channel-contacts li:last-child .contact-name', 'Labour inspectorate Bao’an');
    await page.fill('#channel-contacts li:last-child .contact-reach', '+86 755 2799 0000');
    expect(await problems(page)).toEqual([]);
    await page.click('#channel-form-submit');
    await page.waitForSelector('#channels-list li[data-slug="plant-3"]');

    reportLink = (await page.getAttribute('#channels-list li[data-slug="plant-3"] .channel-link', 'data-link'))!;
    const pins = [committee.id, server.team.id].map((id) => server.repos.teams.find(id)!.recoveryFingerprint);
    expect(reportLink).toBe(`${server.url}/r/plant-3#pins=${pins.join('.')}`);
    expect(server.repos.channels.find('plant-3')?.teams.map((t) => [t.teamId, t.preselected, t.role])).toEqual([
      [committee.id, true, 'workplace'],
      [server.team.id, false, 'brand'],
    ]);

    // Editing: a change of the offered teams warns that the link (and so every poster) changes; other changes do not.
    await page.click('#channels-list li[data-slug="plant-3"] .channel-edit');
    await page.fill('#channel-name', 'Shenzhen plant 3 (Bao’an)');
    expect(await page.isVisible('#channel-pins-warning')).toBe(false);
    await page.uncheck(`#channel-team-${server.team.id}`);
    expect(await page.isVisible('#channel-pins-warning')).toBe(true);
    await page.check(`#channel-team-${server.team.id}`);
    expect(await page.isVisible('#channel-pins-warning')).toBe(false);
    await page.click('#channel-form-submit');
    await expect.poll(() => page.textContent('#channels-notice')).toBe('Saved.');
    expect(await page.getAttribute('#channels-list li[data-slug="plant-3"] .channel-link', 'data-link')).toBe(reportLink);
  });

  it('lets the worker choose only the brand’s team: the report and the photo are encrypted to it alone', async () => {
    const page = await newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#team-choice:not([hidden])');
    expect(await page.isChecked(`#team-${committee.id}`)).toBe(true);
    expect(await page.isChecked(`#team-${server.team.id}`)).toBe(false);
    expect(await page.textContent('#team-choice')).toContain('The grievance committee of your own factory or workplace.');
    expect(await problems(page)).toEqual([]);

    // The photo is sealed for the preselected committee first…
    await page.setInputFiles('#attach-input', { name: 'exit.png', mimeType: 'image/png', buffer: photo });
    await page.waitForSelector('#attach-list li[data-state="done"]', { timeout: 60_000 });
    // …the last ticked team cannot be unticked…
    await page.click(`#team-${committee.id}`);
    expect(await page.isChecked(`#team-${committee.id}`)).toBe(true);
    await page.waitForSelector('#team-choice-error:not([hidden])');
    expect(await problems(page)).toEqual([]);
    // …and after the change it is sealed again, for the brand's team only.
    await page.check(`#team-${server.team.id}`);
    await page.uncheck(`#team-${committee.id}`);
    expect(await page.textContent('#report-teams')).toBe('Who can read it: Brand CSR');
    await page.fill('#f-what', WHAT);
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });

    const received = server.repos.caseLists.listForTeam(server.team.id).filter((c) => c.channelSlug === 'plant-3');
    expect(received).toHaveLength(1);
    caseId = received[0]!.id;
    expect(server.repos.cases.teamIdsOf(caseId)).toEqual([server.team.id]);
    const committeeKeyIds = new Set([
      ...server.repos.teams.find(committee.id)!.recoveryKeyIds,
      ...server.repos.investigators.activeOfTeam(committee.id).flatMap((i) => i.encryptionKeyIds),
    ]);
    const stored = server.repos.uploads.listForCase(caseId);
    expect(stored).toHaveLength(1);
    const report = server.repos.cases.find(caseId)!.report;
    for (const ciphertext of [report, server.repos.uploads.body(caseId, stored[0]!.id)!]) {
      const inspection = inspectMessage(ciphertext);
      if (!inspection.ok) throw new Error(inspection.reason);
      expect(inspection.recipientKeyIds.filter((id) => committeeKeyIds.has(id.toLowerCase()))).toEqual([]);
    }
  });

  it('is neither listed nor opened by the team the worker left out', async () => {
    const other = await server.login(committee.admin);
    expect(((await other.get('/api/cases').expect(200)).body.cases as Array<{ id: string }>).map((c) => c.id)).not.toContain(caseId);
    await other.get(`/api/cases/${caseId}`).expect(404);
    const page = await newPage(1280);
    await signIn(page, server.url, { username: 'committee.lead', password: PASSWORD });
    await page.waitForSelector('#inbox-status:not(:empty)');
    expect(await page.$$('#case-table tr[data-case-id]')).toHaveLength(0);
  });

  it('is decrypted by the chosen team in its browser', async () => {
    const page = await newPage(1280);
    await signIn(page, server.url, { username: 'csr.lead', password: PASSWORD });
    await page.waitForSelector(`#case-table tr[data-case-id="${caseId}"]`);
    await page.click(`#case-table tr[data-case-id="${caseId}"] a`);
    await page.waitForSelector('#case-view:not([hidden]) #case-report dd');
    expect(await page.textContent('#case-report')).toContain(WHAT);
    expect(await page.textContent('#case-view')).toContain('exit.png');
  });

  it('shows the channel’s teams and local places on its information page', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/r/plant-3/info`);
    await page.waitForSelector('#info-teams:not([hidden])');
    expect(await page.$$eval('#info-teams li', (lis) => lis.map((li) => li.textContent))).toEqual([
      'Plant 3 committee The grievance committee of your own factory or workplace. Elected by the workers',
      'Brand CSR The brand’s team: the company that buys what your factory makes.',
    ]);
    expect(await page.textContent('#info-run-by')).toBe('Who runs this channel: The Brand CSR team');
    expect(await page.getAttribute('#info-contacts a', 'href')).toBe('tel:+8675527990000');
    expect(await problems(page)).toEqual([]);
  });
});
