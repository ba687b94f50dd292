/**
 * Nothing lost on a bad network, in Chromium against the real server: the
 * connection is cut AFTER the server stored the report (the request went
 * through, the answer never reached the page). The page tries again by itself
 * with the same token and the same ciphertexts, shows the case number, and the
 * server holds exactly one case. The same when the answer never comes and the
 * connection stays silent, and for a follow-up on the status page.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_WITHIN_MS } from '../client/lib/resend.ts';
import { launchBrowser } from './support/browser.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';
import { setUpFirstTeam } from './support/first-team.ts';

let server: RunningServer;
let browser: Browser;
let reportLink = '';
let token = '';

const count = (table: 'cases' | 'messages') => {
  const db = new Database(join(server.dataDir, 'ombud.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

async function newPage(): Promise<Page> {
  return (await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } })).newPage();
}

/** What the status page shows of the case a case number opens. */
async function caseTextOf(caseNumber: string): Promise<string> {
  const status = await newPage();
  await status.goto(`${server.url}/status`);
  await status.fill('#token-input', caseNumber);
  await status.click('#token-open');
  await status.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
  const text = (await status.textContent('#case-view'))!;
  await status.context().close();
  return text;
}

/** Lets the first request reach the server, waits for its answer there, and then cuts the connection: the page never sees it. */
function cutAfterCommit(bodies: string[]) {
  return async (route: Route) => {
    bodies.push(route.request().postData() ?? '');
    if (bodies.length > 1) return route.continue();
    const answer = await route.fetch();
    expect(answer.status()).toBe(201); // stored on the server
    return route.abort('connectionreset');
  };
}

/**
 * Lets the first request reach the server, waits for its answer there, and then holds it: no answer and
 * no end reach the page, as when a phone loses its signal without a word. `release` lets go of it.
 */
function silenceAfterCommit(bodies: string[]) {
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const handler = async (route: Route) => {
    bodies.push(route.request().postData() ?? '');
    if (bodies.length > 1) return route.continue();
    const answer = await route.fetch();
    expect(answer.status()).toBe(201); // stored on the server
    await held;
    await route.abort('connectionreset').catch(() => undefined); // long given up by the page
  };
  return { handler, release: () => release() };
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const page = await newPage();
  reportLink = await setUpFirstTeam(page, server, { username: 'csr.lead', password: 'Correct-Horse-resend-Battery' });
  await page.context().close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('a send whose answer is lost', () => {
  it('shows the case number of the one case the server stored', async () => {
    const page = await newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.fill('#f-what', 'The fire exit is chained shut');
    const bodies: string[] = [];
    await page.route('**/api/intake', cutAfterCommit(bodies));
    const before = count('cases');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#receipt-sent')).toBe('Sent — the team has it.');
    token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]); // the same token's lookup id, the same ciphertexts, the same proof of work
    expect(count('cases')).toBe(before + 1);
    await page.context().close();

    expect(await caseTextOf(token)).toContain('The fire exit is chained shut'); // the case number shown opens that case
  });

  it('gives up an answer that never comes, sends again, and shows the one case stored', async () => {
    const page = await newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.fill('#f-what', 'The night shift is not paid');
    const bodies: string[] = [];
    const silence = silenceAfterCommit(bodies);
    await page.route('**/api/intake', silence.handler);
    const before = count('cases');
    await page.click('#send');
    // Without the page's watch (client/lib/api.ts answerWithinMs) it would wait for the held answer for good.
    await page.waitForSelector('#receipt:not([hidden])', { timeout: ANSWER_WITHIN_MS + 45_000 });
    silence.release();
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(count('cases')).toBe(before + 1);
    const shown = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    await page.context().close();
    expect(await caseTextOf(shown)).toContain('The night shift is not paid');
  }, ANSWER_WITHIN_MS + 120_000);

  it('stores a follow-up once and says it was sent', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', token);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    const bodies: string[] = [];
    await page.route('**/api/status/messages', cutAfterCommit(bodies));
    const before = count('messages');
    await page.fill('#reply-text', 'They locked it again today');
    await page.click('#reply-send');
    await expect.poll(() => page.textContent('#reply-status'), { timeout: 60_000 }).toBe('Your message was sent.');
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(count('messages')).toBe(before + 1);
    await page.waitForSelector('#thread li:has-text("They locked it again today")');
    expect(await page.locator('#thread li:has-text("They locked it again today")').count()).toBe(1);
    await page.context().close();
  });
});
