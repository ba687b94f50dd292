/**
 * The first administrator's steps, as the journeys take them: open the
 * printed one-time setup link, create the team, keep the recovery key, and
 * read the report link the page shows.
 */
import type { Page } from 'playwright-core';
import type { RunningServer } from './server.ts';

export async function setUpFirstTeam(page: Page, server: RunningServer, account: { username: string; password: string }): Promise<string> {
  await page.goto(server.setupLink());
  await page.waitForSelector('#setup-form:not([hidden])');
  await page.fill('#setup-team', 'Brand CSR team');
  await page.fill('#setup-channel', 'Factory One');
  await page.fill('#setup-display-name', 'CSR Lead');
  await page.fill('#setup-username', account.username);
  await page.fill('#setup-password', account.password);
  await page.fill('#setup-password2', account.password);
  await page.click('#setup-submit');
  await page.waitForSelector('#recovery-view:not([hidden])', { timeout: 60_000 });
  await page.check('#recovery-saved');
  await page.click('#recovery-continue');
  await page.waitForSelector('#done-view:not([hidden])');
  return (await page.textContent('#setup-report-link'))!.trim();
}

/** Signs an investigator in at /team, as they would, and waits for the inbox. */
export async function signIn(page: Page, url: string, account: { username: string; password: string }): Promise<void> {
  await page.goto(`${url}/team`);
  await page.waitForSelector('#login-form:not([hidden])');
  await page.fill('#login-username', account.username);
  await page.fill('#login-password', account.password);
  await page.click('#login-submit');
  await page.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });
}
