/**
 * The lying-server harness on the report form (flows report.*).
 *
 * `report.send` passed before the issue-11 fixes (the link's pins:
 * docs/protocol.md, "Pinned keys"). `report.team-names` failed before the
 * `status` helper's fix (the report went to the team the worker did not
 * tick) and passes with it (merged from main).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { channelLink } from '../../../common/channel-link.ts';
import { describePublicKey, signTeamName } from '../../../crypto/index.ts';
import { CSRF_HEADER } from '../../../server/auth/session-gate.ts';
import { dayOf } from '../../../server/clock.ts';
import { listenTestServer, type ListeningTestServer, type TestTeam } from '../../../server/testing.ts';
import { launchBrowser } from '../../support/browser.ts';
import { expectCaught, lies, lyingTest, makeAttacker, record, tell, type Attacker, type Recorder } from './harness.ts';

const SHOTS = '/tmp/shots-lying';
const TWO = 'two-teams';
let server: ListeningTestServer;
let browser: Browser;
let attacker: Attacker;
let supplier: TestTeam;

const caseCount = () => (server.db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;

async function phone(locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
  return context.newPage();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') }, team: { name: 'Brand CSR' } });
  supplier = await server.addTeam({ name: 'Supplier committee', runsDeployment: false });
  server.repos.channels.create({ slug: TWO, name: 'Factory Two', createdDay: dayOf(server.clock.now()), teamIds: [server.team.id, supplier.id] });
  [attacker, browser] = await Promise.all([makeAttacker(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const pinnedLink = (slug: string, teams: TestTeam[]) => channelLink(server.url, slug, teams.map((t) => t.recovery.privateKey.fingerprint));

async function fillAndSend(page: Page): Promise<void> {
  await page.waitForSelector('#report-form:not([hidden]):not([data-early]), [data-trust-refusal]:visible', { timeout: 30_000 });
  // The form may be shown before the crypto code has checked the pins: the refusal can replace it at any moment.
  const refused = async (error: unknown) => {
    if (!(await page.isVisible('[data-trust-refusal]'))) throw error;
  };
  try {
    await page.fill('#f-what', 'The fire exit of hall 2 is locked at night.', { timeout: 10_000 });
    await page.click('#send', { timeout: 10_000 });
  } catch (error) {
    await refused(error);
  }
}

describe('the report form, lied to', () => {
  lyingTest('report.send', 'keys-replaced', async (flow) => {
    const page = await phone('zh-CN');
    const rec = record(page);
    await tell(page, rec, `/api/channels/${server.team.channelSlug}`, lies.channelKeysReplaced(attacker));
    const before = caseCount();
    await page.goto(pinnedLink(server.team.channelSlug, [server.team]));
    await fillAndSend(page);
    const caught = await expectCaught(page, rec, flow, attacker);
    expect(caught.refusal).toBe('uncertified');
    expect(await page.textContent('[data-trust-refusal]')).toContain('没有发送任何内容');
    await page.screenshot({ path: `${SHOTS}/report-uncertified-zh-CN-360.png`, fullPage: true });
    expect(caseCount()).toBe(before);
    await page.context().close();
  });

  lyingTest('report.send', 'attacker-certified', async (flow) => {
    const page = await phone();
    const rec = record(page);
    await tell(page, rec, `/api/channels/${server.team.channelSlug}`, lies.channelAttackerRecovery(attacker));
    await page.goto(pinnedLink(server.team.channelSlug, [server.team]));
    await fillAndSend(page);
    expect((await expectCaught(page, rec, flow, attacker)).refusal).toBe('unpinned');
    await page.context().close();
  });

  /** Ticks the team shown as `name` on the form, and only it, as a worker would. */
  async function tickOnly(page: Page, name: string): Promise<void> {
    const options = page.locator('label.team-option');
    for (let i = 0; i < (await options.count()); i++) {
      const option = options.nth(i);
      const wanted = (await option.locator('.team-name').textContent())?.trim() === name;
      if ((await option.locator('input.team-check').isChecked()) !== wanted) await option.click();
    }
  }

  /** The receipt came, and the report was encrypted to Brand CSR (server.team) and not to the supplier committee. */
  async function expectReachedBrandOnly(page: Page, rec: Recorder, say: { missed: string; wrong: string }): Promise<void> {
    const brand = (await describePublicKey(server.team.recovery.publicKey)).encryptionKeyIds.map((id) => id.toLowerCase());
    const other = (await describePublicKey(supplier.recovery.publicKey)).encryptionKeyIds.map((id) => id.toLowerCase());
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    const intake = rec.all.find((r) => r.method === 'POST' && r.path === '/api/intake');
    expect(intake?.recipients, say.missed).toEqual(expect.arrayContaining(brand));
    expect(intake?.recipients.filter((id) => other.includes(id)), say.wrong).toEqual([]);
  }

  lyingTest('report.team-names', 'team-names-swapped', async (flow) => {
    // The worker ticks "Brand CSR" only; with the names swapped the report would go to the supplier committee.
    const page = await phone();
    const rec = record(page);
    await tell(page, rec, `/api/channels/${TWO}`, lies.teamNamesSwapped());
    await page.goto(pinnedLink(TWO, [server.team, supplier]));
    await page.waitForSelector('#report-form:not([hidden]):not([data-early]) #team-choice:not([hidden]), [data-trust-refusal]:visible', { timeout: 30_000 });
    if (!(await page.isVisible('[data-trust-refusal]'))) {
      await tickOnly(page, 'Brand CSR');
    }
    await fillAndSend(page);
    await expectCaught(page, rec, flow, undefined, {
      // A page that names teams from what their pinned recovery keys certify may carry on: the report must then reach the team the worker ticked.
      ignore: () => expectReachedBrandOnly(page, rec, {
        missed: 'the report must reach the team the worker ticked by name (Brand CSR)',
        wrong: 'the report went to a team the worker did not tick',
      }),
    });
    await page.context().close();
  }, 180_000);

  lyingTest('report.team-names-local', 'team-name-forged', async (flow) => {
    // The brand team signed its Vietnamese name; the server puts that name on the supplier committee too,
    // once with the brand's signature (moved) and once signed by the attacker's key. A Vietnamese worker
    // ticks the team of that name: the report must reach the brand only.
    const VI = 'Ban trách nhiệm xã hội của thương hiệu';
    const admin = await server.login(server.team.admin);
    const names = [{ lang: 'vi', name: VI, signature: await signTeamName({
      teamId: server.team.id, recovery: server.team.recovery.privateKey.fingerprint.toLowerCase(), lang: 'vi', name: VI, key: server.team.admin.keyPair.privateKey,
    }) }];
    await admin.agent.put('/api/team/names').set('Content-Type', 'application/json').set(CSRF_HEADER, admin.session.csrfToken).send({ names }).expect(200);
    const forged = await signTeamName({
      teamId: supplier.id, recovery: supplier.recovery.privateKey.fingerprint.toLowerCase(), lang: 'vi', name: VI, key: attacker.key.privateKey,
    });
    const page = await phone('vi-VN');
    const rec = record(page);
    await tell(page, rec, `/api/channels/${TWO}`, (channel) => ({
      ...channel,
      teams: channel.teams.map((team: { id: string }) => (team.id === supplier.id
        ? { ...team, names: [{ lang: 'vi', name: VI, signature: forged }, ...names] }
        : team)),
    }));
    await page.goto(pinnedLink(TWO, [server.team, supplier]));
    await page.waitForSelector('#report-form:not([hidden]):not([data-early]) #team-choice:not([hidden]), [data-trust-refusal]:visible', { timeout: 30_000 });
    if (!(await page.isVisible('[data-trust-refusal]'))) {
      // wait for the pins check to name the teams (the names in the worker's language come with it)
      await expect.poll(async () => page.locator('.team-name[data-name-lang="vi"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await tickOnly(page, VI);
    }
    await fillAndSend(page);
    await expectCaught(page, rec, flow, undefined, {
      // The page does not refuse: it shows the certified name instead of the forged one, so the worker ticks the right team.
      ignore: () => expectReachedBrandOnly(page, rec, {
        missed: 'the report must reach the team whose signed name the worker ticked',
        wrong: 'the report went to a team under a forged name',
      }),
    });
    await admin.agent.put('/api/team/names').set('Content-Type', 'application/json').set(CSRF_HEADER, admin.session.csrfToken).send({ names: [] }).expect(200);
    await page.context().close();
  }, 180_000);
});

