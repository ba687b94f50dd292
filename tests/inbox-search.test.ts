/**
 * Searching the inbox over decrypted content, in Chromium against the real
 * server: the first investigator's browser makes the team index key,
 * decrypts the cases in the background and uploads their sealed index
 * entries; typing a word of "what happened" keeps only that case. A
 * colleague's browser then searches from the stored entries alone. None of
 * the words reach the data folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const PASSWORD = 'Correct-Horse-Search-Battery';
const WORDS = ['quokkalantern', 'marzipanferry', 'tundrakettle'] as const;

let dataDir: string;
let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let colleague: TestInvestigator;
const caseIds: string[] = [];

function reportText(what: string, where: string): Uint8Array {
  const report = { v: 1, lang: 'en', category: 'wages', what, when: 'Last month', where, ongoing: 'yes', involved: '', wish: '', contact: '' };
  return new TextEncoder().encode(JSON.stringify(report));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function signIn(who: TestInvestigator): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  await p.goto(`${server.url}/team`);
  await p.waitForSelector('#login-form:not([hidden])');
  await p.fill('#login-username', who.username);
  await p.fill('#login-password', PASSWORD);
  await p.click('#login-submit');
  await p.waitForSelector('#inbox-view:not([hidden]) #filter-search', { timeout: 60_000 });
  return p;
}

const rowIds = (p: Page) => p.locator('#case-rows tr[data-case-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
const storedEntries = () => (server.db.prepare('SELECT count(*) AS n FROM case_index_entries').get() as { n: number }).n;

async function search(p: Page, query: string): Promise<void> {
  await p.fill('#filter-search', query);
  await p.waitForFunction((q) => document.querySelector<HTMLElement>('#inbox-status')?.dataset['query'] === q, query);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ombud-inbox-search-'));
  server = await listenTestServer({ dbPath: join(dataDir, 'ombud.db'), config: { clientDir: resolve('dist/client') } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  colleague = await server.addInvestigator(server.team, { username: 'colleague', displayName: 'Cem Colleague', password: PASSWORD });
  for (const [i, word] of WORDS.entries()) {
    const { caseId } = await server.submitReport({ plaintext: reportText(`Wages were cut without notice ${word}.`, `Hall ${i + 1}`) });
    caseIds.push(caseId);
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('searching the inbox', () => {
  it('indexes the cases in the background and finds a case by a word of what happened', async () => {
    const p = await signIn(lead);
    await expect.poll(storedEntries, { timeout: 60_000 }).toBe(WORDS.length);
    await p.waitForFunction(() => (document.querySelector('#inbox-search-status')?.textContent ?? '') === '');
    await search(p, WORDS[1].toUpperCase().slice(0, 8)); // case-insensitive, part of a word
    expect(await rowIds(p)).toEqual([caseIds[1]]);
    await search(p, `hall 3 ${WORDS[2]}`);
    expect(await rowIds(p)).toEqual([caseIds[2]]);
    await search(p, 'nowhere-to-be-found');
    expect(await rowIds(p)).toEqual([]);
    await search(p, '');
    expect((await rowIds(p)).sort()).toEqual([...caseIds].sort());
    await p.context().close();
  });

  it('lets a colleague search from the stored entries without decrypting the cases again', async () => {
    const opened = server.repos.audit.list().filter((e) => e.action === 'case.opened').length;
    const p = await signIn(colleague);
    await search(p, WORDS[0]);
    await p.waitForFunction((id) => [...document.querySelectorAll('#case-rows tr[data-case-id]')].map((r) => r.getAttribute('data-case-id')).join() === id, caseIds[0]);
    expect(await rowIds(p)).toEqual([caseIds[0]]);
    expect(server.repos.audit.list().filter((e) => e.action === 'case.opened').length).toBe(opened);
    await p.context().close();
  });

  it('keeps the words out of every file of the data folder', () => {
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('.db'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const word of WORDS) expect(bytes.includes(Buffer.from(word)), `${word} in ${file}`).toBe(false);
    }
  });
});
