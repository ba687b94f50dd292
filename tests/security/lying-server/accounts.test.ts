/**
 * The lying-server harness where accounts are made from a password: first
 * setup, joining by invitation, founding a team, /recover — each told to
 * derive the password's keys with Argon2id at {memoryKiB: 8, iterations: 1} —
 * and /recover's re-wrap of earlier cases to the new
 * administrator, told to wrap to an attacker's key.
 *
 * setup.create, join.invite, join.found and recover.account pass since the
 * `limits` KDF floors (crypto/kdf.ts; before them each page sent its account
 * made with the downgraded parameters). recover.rewrap already sends
 * nothing (the re-wrap recipient check) and waits only for the
 * `data-trust-refusal` attribute on that refusal (the `workspace` helper).
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { exportArmoredPrivateKey } from '../../../crypto/index.ts';
import { issueSetupToken } from '../../../server/setup/setup-token.ts';
import { listenTestServer, type InvestigatorClient, type ListeningTestServer } from '../../../server/testing.ts';
import { launchBrowser } from '../../support/browser.ts';
import { expectCaught, lies, lyingTest, makeAttacker, record, tell, type Attacker, type Recorder } from './harness.ts';

const PASSWORD = 'Correct-Horse-Lying-Accounts';
let server: ListeningTestServer;
let fresh: ListeningTestServer;
let browser: Browser;
let attacker: Attacker;
let admin: InvestigatorClient;

beforeAll(async () => {
  const clientDir = resolve('dist/client');
  [server, fresh] = await Promise.all([
    listenTestServer({ config: { clientDir }, team: { name: 'Brand CSR' } }),
    listenTestServer({ config: { clientDir }, team: false }),
  ]);
  await server.submitReport(); // an earlier case for /recover to re-wrap
  admin = await server.login(server.team.admin);
  [attacker, browser] = await Promise.all([makeAttacker(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), fresh?.stop()]);
});

async function page(): Promise<{ page: Page; rec: Recorder }> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  return { page: p, rec: record(p) };
}

/** Fills /recover with the team's recovery key and a new administrator, and submits. */
async function recover(p: Page, username: string): Promise<void> {
  await p.goto(`${server.url}/recover`);
  await p.waitForSelector('#recover-form', { timeout: 60_000 });
  await p.fill('#recover-key-text', await exportArmoredPrivateKey(server.team.recovery.privateKey));
  await p.fill('#recover-display-name', 'Rita Rescuer');
  await p.fill('#recover-username', username);
  await p.fill('#recover-password', PASSWORD);
  await p.fill('#recover-password2', PASSWORD);
  await p.click('#recover-submit');
}

async function join(p: Page, link: string, username: string): Promise<void> {
  await p.goto(link);
  await p.waitForSelector('#join-form:not([hidden]), [data-trust-refusal]:visible', { timeout: 30_000 });
  if (await p.isVisible('[data-trust-refusal]')) return;
  await p.fill('#join-username', username);
  await p.fill('#join-password', PASSWORD);
  await p.fill('#join-password2', PASSWORD);
  await p.click('#join-submit');
}

describe('accounts made from a password, lied to', () => {
  lyingTest('setup.create', 'kdf-downgrade', async (flow) => {
    const { token } = issueSetupToken(fresh.app.ombud);
    const { page: p, rec } = await page();
    await tell(p, rec, '/api/setup', lies.kdfDowngrade(), 'GET');
    await p.goto(`${fresh.url}/setup#${token}`);
    await p.waitForSelector('#setup-form:not([hidden]), [data-trust-refusal]:visible', { timeout: 30_000 });
    if (!(await p.isVisible('[data-trust-refusal]'))) {
      await p.fill('#setup-team', 'Brand CSR team');
      await p.fill('#setup-channel', 'Factory One');
      await p.fill('#setup-display-name', 'CSR Lead');
      await p.fill('#setup-username', 'csr.lead');
      await p.fill('#setup-password', PASSWORD);
      await p.fill('#setup-password2', PASSWORD);
      await p.click('#setup-submit');
    }
    await expectCaught(p, rec, flow);
    await p.context().close();
  });

  lyingTest('join.invite', 'kdf-downgrade', async (flow) => {
    const { link } = (await admin.post('/api/team/invites', { displayName: 'Nadia', role: 'investigator' }).expect(201)).body as { link: string };
    const { page: p, rec } = await page();
    await tell(p, rec, '/api/invites/info', lies.kdfDowngrade(), 'POST');
    await join(p, link, 'nadia');
    await expectCaught(p, rec, flow);
    await p.context().close();
  });

  lyingTest('join.found', 'kdf-downgrade', async (flow) => {
    const { link } = (await admin.post('/api/teams/foundings', { teamName: 'Supplier committee', founderName: 'Dewi' }).expect(201)).body as { link: string };
    const { page: p, rec } = await page();
    await tell(p, rec, '/api/foundings/info', lies.kdfDowngrade(), 'POST');
    await join(p, link, 'dewi');
    await expectCaught(p, rec, flow);
    await p.context().close();
  });

  lyingTest('recover.account', 'kdf-downgrade', async (flow) => {
    const { page: p, rec } = await page();
    await tell(p, rec, '/api/recovery/challenge', lies.kdfDowngrade(), 'POST');
    await recover(p, 'rita');
    await expectCaught(p, rec, flow);
    await p.context().close();
  }, 180_000);

  lyingTest('recover.rewrap', 'keys-replaced', async (flow) => {
    const { page: p, rec } = await page();
    await tell(p, rec, /^\/api\/team\/members\/[^/]+\/share$/, lies.shareRecipient(attacker), 'GET');
    await recover(p, 'ruth');
    await expectCaught(p, rec, flow, attacker);
    await p.context().close();
  }, 180_000);
});
