/**
 * A large inbox opens on its first page, in Chromium against the real server:
 * the urgent and newest cases are drawn from a first, bounded answer while
 * the whole list is still on its way; the page says so, the choices made
 * meanwhile (and the words being typed) survive the whole list's arrival,
 * and then every case is there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseRecord } from '../db/fixtures.ts';
import { addDays } from '../server/clock.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const PASSWORD = 'Correct-Horse-First-Page';
const CASES = 450;
/** client/team/inbox.ts PAGE */
const PAGE = 200;

let dataDir: string;
let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let urgentId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ombud-inbox-first-'));
  server = await listenTestServer({ dbPath: join(dataDir, 'ombud.db'), config: { clientDir: resolve('dist/client') } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  const ids: string[] = [];
  server.repos.transaction(() => {
    for (let i = 0; i < CASES; i++) {
      const id = `case-first-${String(i).padStart(12, '0')}`;
      const day = addDays('2025-03-14', -Math.floor(i / 4));
      server.repos.cases.create(caseRecord(server.team.channelSlug, {
        id, receivedDay: day, lastActivityDay: day, acknowledgeByDay: addDays(day, 7), lookupHash: i.toString(16).padStart(64, '0'),
      }), [server.team.id]);
      ids.push(id);
    }
  });
  // One of the oldest cases is urgent: it must head the first page all the same.
  urgentId = ids.at(-1)!;
  server.repos.cases.markUrgent(urgentId, '2025-03-14');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const rowIds = (p: Page) => p.locator('#case-rows tr[data-case-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
const statusData = (p: Page) => p.locator('#inbox-status').evaluate((el) => ({ ...(el as HTMLElement).dataset, text: el.textContent }));

describe('a large inbox', () => {
  it('draws the first page before the whole list arrives, keeps what was typed meanwhile, then lists every case', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    // The whole list (GET /api/cases without a query) is held back until the test lets it go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const wholeListRequests: string[] = [];
    await p.route((url) => url.pathname === '/api/cases', async (route: Route) => {
      const url = new URL(route.request().url());
      if (url.search === '') {
        wholeListRequests.push(url.href);
        await held;
      }
      await route.continue();
    });
    await p.goto(`${server.url}/team`);
    await p.waitForSelector('#login-form:not([hidden])');
    await p.fill('#login-username', lead.username);
    await p.fill('#login-password', PASSWORD);
    await p.click('#login-submit');
    await p.waitForFunction(() => document.querySelector<HTMLElement>('#inbox-status')?.dataset['total'] !== undefined, undefined, { timeout: 60_000 });

    const whole = (await server.login(lead).then((c) => c.get('/api/cases').expect(200))).body.cases as Array<{ id: string; receivedDay: string; urgent: boolean }>;
    const order = [...whole].sort((a, b) => Number(b.urgent) - Number(a.urgent) || (a.receivedDay < b.receivedDay ? 1 : a.receivedDay > b.receivedDay ? -1 : a.id < b.id ? 1 : -1));
    expect(await statusData(p)).toMatchObject({ total: String(CASES), complete: 'false', count: String(PAGE), text: `Showing the newest ${PAGE} of ${CASES} cases. Loading the rest…` });
    expect(await rowIds(p)).toEqual(order.slice(0, PAGE).map((c) => c.id));
    expect((await rowIds(p))[0]).toBe(urgentId);
    expect(await p.isHidden('#inbox-more')).toBe(true);
    expect(wholeListRequests).toHaveLength(1);

    // A choice and half-typed words while the rest loads.
    await p.check('#filter-urgent');
    await p.waitForFunction(() => document.querySelector<HTMLElement>('#inbox-status')?.dataset['count'] === '1');
    await p.click('#filter-search');
    await p.keyboard.type('forkl');
    release();
    await p.waitForFunction(() => document.querySelector<HTMLElement>('#inbox-status')?.dataset['complete'] === 'true', undefined, { timeout: 60_000 });
    expect(await p.inputValue('#filter-search')).toBe('forkl');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('filter-search');
    expect(await p.isChecked('#filter-urgent')).toBe(true);
    await p.keyboard.type('ift');
    expect(await p.inputValue('#filter-search')).toBe('forklift');

    await p.fill('#filter-search', '');
    await p.uncheck('#filter-urgent');
    await p.waitForFunction((n) => document.querySelector<HTMLElement>('#inbox-status')?.dataset['count'] === String(n), CASES);
    expect((await statusData(p)).text).toBe(`Cases: ${CASES}`);
    expect(await rowIds(p)).toEqual(order.slice(0, PAGE).map((c) => c.id));
    await p.click('#inbox-more');
    await expect.poll(async () => (await rowIds(p)).length).toBe(2 * PAGE);
    await context.close();
  });
});
