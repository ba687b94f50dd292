/**
 * The whole blind loop in a real Chromium against the real server process:
 * setup → a worker reports in Chinese → an investigator reads, acknowledges
 * and replies → the worker reads the reply with nothing but the token and
 * answers → the investigator reads the answer. Then the invariant: the canary
 * strings typed into every field appear nowhere in plaintext — not in the data
 * folder, not in the server's output, not in any request the browsers sent —
 * and GnuPG decrypts the report with the key exported from Ombud.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { signIn as signInAt } from './support/first-team.ts';
import { tempGpg, unpadGpgOutput } from './support/gpg.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

const run = Math.random().toString(36).slice(2, 8);
const CANARY = {
  what: `CANARY-what-${run} 工厂锁门`,
  when: `CANARY-when-${run}`,
  where: `CANARY-where-${run} 三号车间`,
  involved: `CANARY-involved-${run}`,
  wish: `CANARY-wish-${run}`,
  contact: `CANARY-contact-${run}`,
  teamReply: `CANARY-team-reply-${run} 我们已收到`,
  workerAnswer: `CANARY-worker-answer-${run}`,
};
const PASSWORD = `Correct-Horse-${run}-Battery`;
const USERNAME = 'csr.lead';

let server: RunningServer;
let browser: Browser;
const requestBodies: string[] = [];
const requestUrls: string[] = [];
let reportLink = '';
let token = '';
let exportedKey = '';

async function newContext(locale: string): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, acceptDownloads: true, viewport: { width: 390, height: 844 } });
  context.on('request', (request) => {
    requestUrls.push(request.url());
    const body = request.postData();
    if (body) requestBodies.push(body);
  });
  return context;
}

async function signIn(page: Page): Promise<void> {
  await signInAt(page, server.url, { username: USERNAME, password: PASSWORD });
}

async function openOnlyCase(page: Page): Promise<void> {
  await page.waitForSelector('#case-table tr[data-case-id]');
  await page.click('#case-table tr[data-case-id] a');
  await page.waitForSelector('#case-view:not([hidden]) #case-report dd');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('the blind intake loop', () => {
  it('sets up the first team from the printed one-time link', async () => {
    expect(server.output()).toContain('/setup#');
    const page = await (await newContext('en-GB')).newPage();
    await page.goto(server.setupLink());
    await page.waitForSelector('#setup-form:not([hidden])');
    await page.fill('#setup-team', 'Brand CSR team');
    await page.fill('#setup-channel', 'Factory One');
    await page.fill('#setup-display-name', 'CSR Lead');
    await page.fill('#setup-username', USERNAME);
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-password2', PASSWORD);
    await page.click('#setup-submit');
    await page.waitForSelector('#recovery-view:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#recovery-key')).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    await page.check('#recovery-saved');
    await page.click('#recovery-continue');
    await page.waitForSelector('#done-view:not([hidden])');
    reportLink = (await page.textContent('#setup-report-link'))!.trim();
    // The pinned link: the recovery key's fingerprint in the fragment (docs/protocol.md, "Pinned keys").
    expect(reportLink).toMatch(/\/r\/factory-one#pins=[0-9a-f]{40}$/);
    await page.context().close();
  });

  it('refuses the setup link a second time', async () => {
    const page = await (await newContext('en-GB')).newPage();
    await page.goto(server.setupLink());
    await page.waitForSelector('#setup-status');
    await expect.poll(() => page.textContent('#setup-status')).toMatch(/already|used/i);
    await page.context().close();
  });

  it('lets a worker report in Chinese and shows the token once', async () => {
    const page = await (await newContext('zh-CN')).newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.click('#cat-working_hours');
    await page.fill('#f-what', CANARY.what);
    await page.fill('#f-when', CANARY.when);
    await page.fill('#f-where', CANARY.where);
    await page.click('#f-ongoing-yes');
    expect(await page.getAttribute('#f-ongoing-yes', 'aria-pressed')).toBe('true');
    await page.fill('#f-involved', CANARY.involved);
    await page.fill('#f-wish', CANARY.wish);
    await page.fill('#f-contact', CANARY.contact);
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    expect(token).toMatch(/^\d{28}$/);
    await page.context().close();
  });

  it('lets the investigator read the report, acknowledge it and reply', async () => {
    const page = await (await newContext('en-GB')).newPage();
    await signIn(page);
    await openOnlyCase(page);
    const report = await page.textContent('#case-report');
    for (const field of ['what', 'when', 'where', 'involved', 'wish', 'contact'] as const) expect(report).toContain(CANARY[field]);
    await page.selectOption('#case-stage', 'acknowledged');
    await page.fill('#case-stage-reason', 'Received, we are looking into it');
    await page.click('#case-stage-submit');
    await expect.poll(() => page.textContent('#case-history')).toMatch(/acknowledged/i);
    await page.fill('#case-reply', CANARY.teamReply);
    await page.click('#case-reply-send');
    await page.waitForSelector(`#case-thread li.message.from-team:has-text("${CANARY.teamReply}")`);

    await page.click('#account-menu summary');
    await page.click('#export-key');
    const download = page.waitForEvent('download');
    await page.click('#export-confirm');
    exportedKey = readFileSync((await (await download).path())!, 'utf8');
    expect(exportedKey).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    await page.context().close();
  });

  it('lets the worker read the reply with the token alone and answer', async () => {
    const page = await (await newContext('zh-CN')).newPage();
    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', token.replace(/(\d{4})/g, '$1 '));
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    expect(await page.getAttribute('#stage-timeline li[aria-current=step]', 'data-stage')).toBe('acknowledged');
    await page.waitForSelector(`#thread li.message.from-team:has-text("${CANARY.teamReply}")`);
    await page.fill('#reply-text', CANARY.workerAnswer);
    await page.click('#reply-send');
    await page.waitForSelector(`#thread li.message.from-reporter:has-text("${CANARY.workerAnswer}")`);
    await page.context().close();
  });

  it('shows the investigator the answer', async () => {
    const page = await (await newContext('en-GB')).newPage();
    await signIn(page);
    await openOnlyCase(page);
    await page.waitForSelector(`#case-thread li.message.from-reporter:has-text("${CANARY.workerAnswer}")`);
    await page.context().close();
  });
});

describe('the server stays blind', () => {
  const secrets = () => {
    // the loop above must have run: an empty token would make every check vacuous
    expect(token).toMatch(/^\d{28}$/);
    return [...Object.values(CANARY), ...Object.values(CANARY).map((c) => c.split(' ')[0]!), PASSWORD, token];
  };

  it('keeps no canary, token or password in any file of the data folder', async () => {
    // read while the server runs: the database, its WAL and shared memory all count
    const files = filesUnder(server.dataDir);
    expect(files.some((file) => file.endsWith('.db'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets()) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `${secret} in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} (UTF-16) in ${file}`).toBe(false);
        for (const encoding of ['base64', 'base64url', 'hex'] as const) {
          expect(bytes.includes(Buffer.from(Buffer.from(secret, 'utf8').toString(encoding))), `${secret} (${encoding}) in ${file}`).toBe(false);
        }
      }
    }
  });

  it('never printed a canary, the token or the password', () => {
    const output = server.output();
    for (const secret of secrets()) expect(output).not.toContain(secret);
  });

  it('loaded nothing from any other origin', () => {
    const foreign = requestUrls.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
  });

  it('never sent a canary, the token or the password in a request', () => {
    expect(requestBodies.length).toBeGreaterThan(5);
    const sent = requestBodies.join('\n') + requestUrls.join('\n');
    for (const secret of secrets()) expect(sent).not.toContain(secret);
  });
});

describe('interoperability', () => {
  it('decrypts the report with GnuPG and the key exported from Ombud', async () => {
    const intake = requestBodies.map((body) => JSON.parse(body) as Record<string, unknown>).find((body) => typeof body.report === 'string');
    expect(intake).toBeDefined();
    const ciphertext = Buffer.from(intake!.report as string, 'base64url');
    const gpg = tempGpg();
    try {
      gpg.importKey(exportedKey);
      const report = JSON.parse(unpadGpgOutput(gpg.decrypt(ciphertext))) as Record<string, string>;
      expect(report.what).toBe(CANARY.what);
      expect(report.lang).toBe('zh-CN');
      expect(report.category).toBe('working_hours');
    } finally {
      gpg.dispose();
    }
  });
});
