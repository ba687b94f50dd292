/**
 * The audit trail and the case export, in Chromium against the real server:
 * an investigator opens a case, downloads its bundle (a ZIP of the
 * ciphertexts with a manifest and a README), prints the summary (the print
 * stylesheet shows the decrypted case and hides the workspace), then opens
 * the audit trail from the account menu, finds what they just did, and
 * verifies the chain.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../server/export/read-zip.ts';
import { listenTestServer, type ListeningTestServer } from '../server/testing.ts';
import type { TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn } from './support/first-team.ts';

const PASSWORD = 'Correct-Horse-Audit-Battery';
const WHAT = 'The fire exit of hall 2 is chained shut at night.';

let server: ListeningTestServer;
let browser: Browser;
let investigator: TestInvestigator;
let caseId: string;
let page: Page;

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

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  investigator = await server.addInvestigator(server.team, { username: 'auditor', displayName: 'Ana Auditor', password: PASSWORD });
  const report = {
    v: 1, lang: 'en', category: 'working_hours', what: WHAT, when: 'Every night', where: 'Hall 2', ongoing: 'yes',
    involved: '', wish: 'Unlock it', contact: '',
  };
  ({ caseId } = await server.submitReport({ plaintext: new TextEncoder().encode(JSON.stringify(report)) }));
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.addInitScript(() => {
    window.print = () => {
      document.documentElement.dataset.printed = String(Number(document.documentElement.dataset.printed ?? '0') + 1);
    };
  });
  await signIn(page, server.url, { username: investigator.username, password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('case export', () => {
  it('offers the case bundle, whose files are exactly the stored ciphertexts', async () => {
    await page.goto(`${server.url}/team#/case/${caseId}`);
    await page.waitForSelector('#case-export-bundle[href]');
    await expect.poll(() => page.textContent('#case-report')).toContain(WHAT);
    expect(await seriousViolations()).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#case-export-bundle')]);
    expect(download.suggestedFilename()).toBe(`ombud-case-${caseId.slice(0, 8)}.zip`);
    const files = readZip(new Uint8Array(readFileSync((await download.path())!)));
    expect([...files.keys()]).toEqual(['README.txt', 'manifest.json', 'report.gpg']);
    const stored = server.repos.cases.find(caseId)!.report;
    expect(Buffer.from(files.get('report.gpg')!).equals(Buffer.from(stored))).toBe(true);
    expect(server.repos.audit.list().filter((e) => e.action === 'case.exported').map((e) => e.investigatorId)).toEqual([investigator.id]);
  });

  it('prints a summary of the decrypted case without the workspace around it', async () => {
    await page.click('#case-export-print');
    expect(await page.getAttribute('html', 'data-printed')).toBe('1');
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.isVisible('#case-print-header')).toBe(true);
      expect(await page.textContent('#case-print-header')).toContain(`Case ${caseId.slice(0, 8)}`);
      expect(await page.textContent('#case-print-header')).toContain('Ana Auditor');
      expect(await page.isVisible('#case-report')).toBe(true);
      expect(await page.isVisible('#case-history')).toBe(true);
      expect(await page.isVisible('#case-deadlines')).toBe(true);
      for (const hidden of ['#case-reply-form', '#case-stage-form', '#case-export', '.topbar', '#case-back']) {
        expect(await page.isVisible(hidden), hidden).toBe(false);
      }
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    expect(await page.isVisible('#case-print-header')).toBe(false);
  });
});

describe('audit trail page', () => {
  it('lists what the investigator just did and verifies the chain', async () => {
    await page.click('#account-name');
    await page.click('#audit-link');
    await page.waitForSelector('#audit-view:not([hidden]) #audit-rows tr');
    // The reporter's event of today waits for the daily batch (protocol v2): shown first, without a number.
    const pending = await page.$$eval('#audit-rows tr[data-seq="pending"]', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(pending).toEqual([expect.stringContaining('Report received')]);
    expect(pending[0]).toContain('waiting for the daily seal');
    const rows = await page.$$eval('#audit-rows tr:not([data-seq="pending"])', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows[0]).toContain('Exported the case bundle');
    expect(rows[0]).toContain('Ana Auditor');
    expect(rows[0]).toContain(caseId.slice(0, 8));
    expect(rows.some((r) => r.includes('Opened (decrypted) the case'))).toBe(true);
    expect(rows.some((r) => r.includes('Signed in'))).toBe(true);
    expect(pending.some((r) => r.includes('Report received') && r.includes('Reporter'))).toBe(true);

    await page.click('#audit-verify');
    await expect.poll(() => page.textContent('#audit-verify-result')).toContain('The chain is whole');
    expect(await page.getAttribute('#audit-verify-result', 'class')).toContain('ok');
    expect(await seriousViolations()).toEqual([]);
  });

  it('says where the chain is broken after an entry was altered in the database', async () => {
    const opened = server.repos.audit.list().find((e) => e.action === 'case.opened')!;
    server.db.prepare('UPDATE audit_events SET day = ? WHERE seq = ?').run('1999-01-01', opened.seq);
    await page.click('#audit-verify');
    await expect.poll(() => page.textContent('#audit-verify-result')).toContain(`BROKEN at entry #${opened.seq}`);
  });
});
