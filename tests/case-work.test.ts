/**
 * The team's work on a case, in Chromium against the real server: an
 * administrator writes an internal note (team only), assigns the case,
 * labels it (warned that labels are not encrypted), assesses a high risk of
 * retaliation, filters the inbox by label, assignee and risk, excludes a
 * colleague for a conflict of interest (who then cannot see the case), and
 * closes the case with an outcome.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn as signInAt } from './support/first-team.ts';

const PASSWORD = 'Correct-Horse-Casework-Battery';
const NOTE = 'CANARY-note The line supervisor is the cousin of the HR manager.';
const RATIONALE = 'CANARY-risk Only two workers on that line; easy to identify.';

let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let colleague: TestInvestigator;
let caseId: string;
let otherCaseId: string;
let page: Page;

function reportText(what: string): Uint8Array {
  const report = { v: 1, lang: 'en', category: 'working_hours', what, when: 'Every night', where: 'Hall 2', ongoing: 'yes', involved: '', wish: '', contact: '' };
  return new TextEncoder().encode(JSON.stringify(report));
}

async function signIn(who: TestInvestigator, width = 1280): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width, height: 900 } });
  const p = await context.newPage();
  await signInAt(p, server.url, { username: who.username, password: PASSWORD });
  return p;
}

async function openCase(p: Page, id: string): Promise<void> {
  await p.goto(`${server.url}/team#/case/${id}`);
  await p.waitForSelector('#case-work #case-notes-panel');
}

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

const rowIds = (p: Page) => p.locator('#case-rows tr[data-case-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  colleague = await server.addInvestigator(server.team, { username: 'colleague', displayName: 'Cem Colleague', password: PASSWORD });
  ({ caseId } = await server.submitReport({ plaintext: reportText('The fire exit is chained shut at night.') }));
  ({ caseId: otherCaseId } = await server.submitReport({ plaintext: reportText('Unpaid overtime on Sundays.') }));
  browser = await launchBrowser();
  page = await signIn(lead);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('working on a case', () => {
  it('writes an internal note only the team can read, in a panel apart from the thread', async () => {
    await openCase(page, caseId);
    expect(await page.textContent('#case-notes-panel h2')).toBe('Internal notes (team only)');
    await page.fill('#case-note', NOTE);
    await page.click('#case-note-form-submit');
    await expect.poll(() => page.textContent('#case-notes')).toContain(NOTE);
    expect(await page.textContent('#case-notes li.internal-note')).toContain('Lia Lead');
    const [stored] = server.repos.notes.listForCase(caseId);
    expect(Buffer.from(stored!.body).toString('latin1')).not.toContain('CANARY');
    expect(await page.textContent('#case-thread')).not.toContain(NOTE);
  });

  it('assigns the case, labels it with a warning, and assesses a high risk', async () => {
    // Each change re-renders the forms from the reloaded case: wait for that before typing into them.
    const formsOf = async (act: () => Promise<void>) => {
      const before = await page.getAttribute('#case-work', 'data-version');
      await act();
      await expect.poll(() => page.getAttribute('#case-work', 'data-version')).not.toBe(before);
    };
    await formsOf(async () => {
      await page.selectOption('#case-assignee', colleague.id);
      await page.click('#case-assign-form-submit');
    });
    await expect.poll(() => page.inputValue('#case-assignee')).toBe(colleague.id);
    await expect.poll(() => server.repos.caseLists.findForTeam(caseId, server.team.id)?.assigneeId).toBe(colleague.id);

    expect(await page.textContent('#case-labels-warning')).toMatch(/NOT encrypted/);
    await formsOf(async () => {
      await page.fill('#case-labels', 'wages, line 3 ,wages');
      await page.click('#case-labels-form-submit');
    });
    await expect.poll(() => server.repos.caseLists.findForTeam(caseId, server.team.id)?.labels).toEqual(['wages', 'line 3']);
    await expect.poll(() => page.inputValue('#case-labels')).toBe('wages, line 3');

    await page.selectOption('#case-risk-level', 'high');
    await page.fill('#case-risk-rationale', RATIONALE);
    await page.click('#case-risk-form-submit');
    await expect.poll(() => page.textContent('#case-risk-current')).toContain(RATIONALE);
    expect(await page.textContent('#case-risk-current .badge')).toBe('High risk');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('filters the inbox by label, assignee and risk, and sorts it by deadline', async () => {
    await page.goto(`${server.url}/team#/`);
    await page.waitForSelector('#case-rows tr[data-case-id]');
    expect((await rowIds(page)).sort()).toEqual([caseId, otherCaseId].sort());
    const row = page.locator(`#case-rows tr[data-case-id="${caseId}"]`);
    expect(await row.textContent()).toContain('Cem Colleague');
    expect(await row.textContent()).toContain('HIGH RISK');
    expect(await row.locator('.tag').allTextContents()).toEqual(['wages', 'line 3']);
    expect(await seriousViolations(page)).toEqual([]);

    await page.selectOption('#filter-label', 'wages');
    await expect.poll(() => rowIds(page)).toEqual([caseId]);
    await page.selectOption('#filter-label', '');
    await page.selectOption('#filter-assignee', '-');
    await expect.poll(() => rowIds(page)).toEqual([otherCaseId]);
    await page.selectOption('#filter-assignee', '');
    await page.check('#filter-risk');
    await expect.poll(() => rowIds(page)).toEqual([caseId]);
    expect(await page.textContent('#inbox-status')).toMatch(/1 of 2/);
    await page.uncheck('#filter-risk');
    await page.selectOption('#filter-sort', 'deadline');
    await expect.poll(() => rowIds(page)).toHaveLength(2);
  });

  it('excludes a colleague, who then cannot see the case at all', async () => {
    await openCase(page, caseId);
    await page.selectOption('#case-exclude', colleague.id);
    await page.click('#case-exclude-form-submit');
    await expect.poll(() => page.textContent('#case-exclusions')).toContain('Cem Colleague');
    // Excluding the assignee unassigns them.
    await expect.poll(() => page.inputValue('#case-assignee')).toBe('');

    const theirs = await signIn(colleague);
    await theirs.waitForSelector('#case-rows tr[data-case-id]');
    expect(await rowIds(theirs)).toEqual([otherCaseId]);
    await theirs.goto(`${server.url}/team#/case/${caseId}`);
    await expect.poll(() => theirs.textContent('#case-status')).toMatch(/does not exist/);
    expect(await theirs.textContent('#case-work')).toBe('');
    await theirs.context().close();
  });

  it('closes the case only with an outcome', async () => {
    await openCase(page, caseId);
    await page.selectOption('#case-stage', 'acknowledged');
    await page.click('#case-stage-submit');
    await expect.poll(() => page.textContent('#case-history')).toMatch(/acknowledged/i);
    await page.selectOption('#case-stage', 'closed');
    expect(await page.isVisible('#case-outcome')).toBe(true);
    await page.fill('#case-stage-reason', 'Exit unlocked; checked on a visit');
    await page.click('#case-stage-submit');
    await expect.poll(() => page.textContent('#case-stage-error')).toMatch(/needs an outcome/);
    await page.selectOption('#case-outcome', 'substantiated');
    await page.click('#case-stage-submit');
    await expect.poll(() => page.textContent('#case-deadlines')).toContain('Outcome: Substantiated');
    expect(server.repos.caseLists.findForTeam(caseId, server.team.id)?.outcome).toBe('substantiated');
  });

  it('shows the case opened last, even when one opened before it answers after it', async () => {
    const p = await signIn(lead);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let answered = false;
    await p.route(`**/api/cases/${caseId}`, async (route) => {
      await held;
      await route.continue();
      answered = true;
    });
    await p.goto(`${server.url}/team#/case/${caseId}`);
    await openCase(p, otherCaseId);
    await expect.poll(() => p.textContent('#case-report')).toContain('Unpaid overtime');
    release();
    await expect.poll(() => answered).toBe(true);
    await p.waitForTimeout(1_000); // the first case's answer, decrypted, would be drawn by now
    // Otherwise its report would sit under the other's heading, beside the other's notes and hold.
    expect(await p.textContent('#case-report')).toContain('Unpaid overtime');
    expect(await p.textContent('#case-report')).not.toContain('fire exit');
    expect(await p.textContent('#case-heading')).toContain(otherCaseId.slice(0, 8));
    await p.context().close();
  });

  it('lets the administrator change the team deadlines for new cases', async () => {
    await page.goto(`${server.url}/team#/`);
    await page.waitForSelector('#team-deadlines-form');
    await page.fill('#team-ack-days', '5');
    await page.click('#team-deadlines-form-submit');
    await expect.poll(() => page.textContent('#team-deadlines-current')).toContain('within 5 days');
    expect(server.repos.teams.find(server.team.id)?.ackDays).toBe(5);
  });
});
