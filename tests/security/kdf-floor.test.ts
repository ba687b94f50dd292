/**
 * KDF floors in Chromium: every page that derives a key
 * from a password — sign-in, first setup, joining by invitation, founding a
 * team, recovery —
 * refuses Argon2id parameters the server names below the floor or above the
 * ceiling of crypto/kdf.ts. The server's answer is rewritten with
 * `page.route`; the page must show `data-trust-refusal="kdf-floor"` and send
 * no POST/PUT/PATCH/DELETE after the lie (the verifier never leaves).
 * Founding a team goes through the join page too. The status page's token
 * KDF is a constant in the code, never named by the server (crypto/kdf.test.ts).
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportArmoredPrivateKey } from '../../crypto/index.ts';
import { issueSetupToken } from '../../server/setup/setup-token.ts';
import { json, listenTestServer, type ListeningTestServer, type TestInvestigator } from '../../server/testing.ts';
import { launchBrowser } from '../support/browser.ts';

const PASSWORD = 'Correct-Horse-Kdf-Floor-1';
const DOWNGRADE = { algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 };
const BLOWUP = { algorithm: 'argon2id', memoryKiB: 4 * 1024 * 1024, iterations: 3, parallelism: 1 };

let server: ListeningTestServer;
let fresh: ListeningTestServer;
let browser: Browser;
let admin: TestInvestigator;

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  fresh = await listenTestServer({ team: false, config: { clientDir: resolve('dist/client') } });
  admin = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fresh?.stop();
});

/**
 * A page whose answer at `path` carries `kdf` instead of the server's; answers
 * the writes (anything but GET/HEAD) the page sends to the API after that lie.
 */
async function lyingPage(path: string, kdf: object): Promise<{ page: Page; writesAfterLie: string[] }> {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const writesAfterLie: string[] = [];
  let lied = false;
  await page.route(`**${path}`, async (route) => {
    const answer = await route.fetch();
    const body = (await answer.json()) as Record<string, unknown>;
    lied = true;
    await route.fulfill({ response: answer, json: { ...body, kdf } });
  });
  page.on('request', (req) => {
    if (lied && !['GET', 'HEAD'].includes(req.method()) && new URL(req.url()).pathname !== path) {
      writesAfterLie.push(`${req.method()} ${new URL(req.url()).pathname}`);
    }
  });
  return { page, writesAfterLie };
}

async function expectRefusal(page: Page, selector: string): Promise<void> {
  const refusal = page.locator(`${selector}[data-trust-refusal="kdf-floor"]`);
  await refusal.waitFor({ state: 'visible', timeout: 60_000 });
  expect(await refusal.textContent()).toMatch(/weaker settings than Ombud allows/);
}

describe('pages refuse KDF parameters outside the floor and ceiling, and send nothing', () => {
  it('sign-in: a downgrade and a ruinous ceiling are both refused; the verifier is never posted', async () => {
    for (const kdf of [DOWNGRADE, BLOWUP]) {
      const { page, writesAfterLie } = await lyingPage('/api/auth/params', kdf);
      await page.goto(`${server.url}/team`);
      await page.waitForSelector('#login-form:not([hidden])');
      await page.fill('#login-username', admin.username);
      await page.fill('#login-password', PASSWORD);
      await page.click('#login-submit');
      await expectRefusal(page, '#login-error');
      expect(writesAfterLie).toEqual([]);
      await page.context().close();
    }
    expect(server.repos.audit.list().filter((e) => e.action === 'auth.login' || e.action === 'auth.login_failed')).toEqual([]);
  });

  it('sign-in with the genuine parameters still works (the route is not what refuses)', async () => {
    const { page } = await lyingPage('/api/auth/params', { algorithm: 'argon2id', memoryKiB: 65_536, iterations: 3, parallelism: 1 });
    await page.goto(`${server.url}/team`);
    await page.waitForSelector('#login-form:not([hidden])');
    await page.fill('#login-username', admin.username);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });
    expect(await page.locator('[data-trust-refusal]').count()).toBe(0);
    await page.context().close();
  });

  it('first setup: refused, no team is made', async () => {
    const { token } = issueSetupToken(fresh.app.ombud);
    const { page, writesAfterLie } = await lyingPage('/api/setup', DOWNGRADE);
    await page.goto(`${fresh.url}/setup#${token}`);
    await page.waitForSelector('#setup-form:not([hidden])', { timeout: 60_000 });
    await page.fill('#setup-team', 'Floor team');
    await page.fill('#setup-channel', 'Floor plant');
    await page.fill('#setup-slug', 'floor-plant');
    await page.fill('#setup-display-name', 'Fay Floor');
    await page.fill('#setup-username', 'fay');
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-password2', PASSWORD);
    await page.click('#setup-submit');
    await expectRefusal(page, '#setup-error');
    expect(writesAfterLie).toEqual([]);
    expect((await request(fresh.app).get('/api/setup').expect(200)).body.needed).toBe(true);
    await page.context().close();
  });

  it('joining by invitation: refused, the invitation stays unused', async () => {
    const lead = await server.login(admin);
    const { link } = (await lead.post('/api/team/invites', { displayName: 'Nadia', role: 'investigator' }).expect(201)).body as { link: string };
    const { page, writesAfterLie } = await lyingPage('/api/invites/info', DOWNGRADE);
    await page.goto(link);
    await page.waitForSelector('#join-form:not([hidden])', { timeout: 60_000 });
    await page.fill('#join-username', 'nadia');
    await page.fill('#join-password', PASSWORD);
    await page.fill('#join-password2', PASSWORD);
    await page.click('#join-submit');
    await expectRefusal(page, '#join-error');
    expect(writesAfterLie).toEqual([]);
    expect(server.repos.investigators.findByUsername('nadia')).toBeUndefined();
    const info = await request(server.app).post('/api/invites/info').set(json).send({ token: link.split('#')[1] });
    expect(info.status).toBe(200);
    await page.context().close();
  });

  it('founding a team: refused, no team is made', async () => {
    const lead = await server.login(admin);
    const { link } = (await lead.post('/api/teams/foundings', { teamName: 'Floor committee', founderName: 'Dewi' }).expect(201)).body as { link: string };
    const teamsBefore = server.repos.teams.list().length;
    const { page, writesAfterLie } = await lyingPage('/api/foundings/info', DOWNGRADE);
    await page.goto(link);
    await page.waitForSelector('#join-form:not([hidden])', { timeout: 60_000 });
    await page.fill('#join-username', 'dewi');
    await page.fill('#join-password', PASSWORD);
    await page.fill('#join-password2', PASSWORD);
    await page.click('#join-submit');
    await expectRefusal(page, '#join-error');
    expect(writesAfterLie).toEqual([]);
    expect(server.repos.investigators.findByUsername('dewi')).toBeUndefined();
    expect(server.repos.teams.list()).toHaveLength(teamsBefore);
    await page.context().close();
  });

  it('recovery: refused before the signed request, no administrator is made', async () => {
    const { page, writesAfterLie } = await lyingPage('/api/recovery/challenge', DOWNGRADE);
    await page.goto(`${server.url}/recover`);
    await page.waitForSelector('#recover-form', { timeout: 60_000 });
    await page.fill('#recover-key-text', await exportArmoredPrivateKey(server.team.recovery.privateKey));
    await page.fill('#recover-display-name', 'Rita Rescuer');
    await page.fill('#recover-username', 'rita');
    await page.fill('#recover-password', PASSWORD);
    await page.fill('#recover-password2', PASSWORD);
    await page.click('#recover-submit');
    await expectRefusal(page, '#recover-error');
    expect(writesAfterLie).toEqual([]);
    expect(server.repos.investigators.findByUsername('rita')).toBeUndefined();
    await page.context().close();
  });
});
