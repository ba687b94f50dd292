/**
 * A team's name in the worker's language (docs/protocol.md, "v2: team names
 * in the worker's language"), in a real Chromium against the real server:
 * a Vietnamese worker sees the name the team's administrator signed in
 * Vietnamese on the form (the certified name under it) and on the status
 * page; a name the server forged is not shown, the certified name is.
 */
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInfo, TeamNamesView } from '../common/api.ts';
import { channelLink } from '../common/channel-link.ts';
import { generateKeyPair, signTeamName } from '../crypto/index.ts';
import { CSRF_HEADER } from '../server/auth/session-gate.ts';
import { listenTestServer, type ListeningTestServer, type TestTeam } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn } from './support/first-team.ts';

const SLUG = 'plant-12';
const VI_NAME = 'Ban trách nhiệm xã hội của thương hiệu';
const FORGED = 'Đội độc lập của thương hiệu';
const PASSWORD = 'Correct-Horse-Team-Names-Battery';

let server: ListeningTestServer;
let browser: Browser;
let committee: TestTeam;
let link = '';
const contexts: BrowserContext[] = [];

async function newPage(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return page;
}

beforeAll(async () => {
  server = await listenTestServer({
    config: { clientDir: resolve('dist/client') },
    team: { name: 'Brand CSR', channelSlug: 'brand-hq' },
  });
  committee = await server.addTeam({ name: 'Supplier committee', channelSlug: 'committee-own', runsDeployment: false });
  server.repos.channels.create({ slug: SLUG, name: 'Plant 12', createdDay: '2026-12-01', teamIds: [server.team.id, committee.id] });
  link = channelLink(server.url, SLUG, [server.team.id, committee.id].map((id) => server.repos.teams.find(id)!.recoveryFingerprint));
  // The brand team's administrator saves its Vietnamese name, signed by their key (as the workspace does).
  const admin = await server.login(server.team.admin);
  const view = (await admin.get('/api/team/names').expect(200)).body as TeamNamesView;
  const signature = await signTeamName({
    teamId: view.teamId, recovery: view.recoveryFingerprint, lang: 'vi', name: VI_NAME, key: server.team.admin.keyPair.privateKey,
  });
  await admin.agent.put('/api/team/names').set('Content-Type', 'application/json').set(CSRF_HEADER, admin.session.csrfToken)
    .send({ names: [{ lang: 'vi', name: VI_NAME, signature }] }).expect(200);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('team names in the worker’s language', () => {
  it('shows a Vietnamese worker the signed Vietnamese name on the form and on the status page', async () => {
    const page = await newPage('vi-VN');
    await page.goto(link);
    await page.waitForSelector('#team-choice:not([hidden])', { timeout: 60_000 });
    const brand = `label[for="team-${server.team.id}"]`;
    expect(await page.textContent(`${brand} .team-name`)).toBe(VI_NAME);
    expect(await page.getAttribute(`${brand} .team-name`, 'data-name-lang')).toBe('vi');
    expect(await page.textContent(`${brand} .team-name-certified`)).toBe('Brand CSR');
    expect(await page.textContent(`label[for="team-${committee.id}"] .team-name`)).toBe('Supplier committee');
    expect(await page.textContent('#report-teams')).toContain(VI_NAME);
    await page.fill('#f-what', 'Cửa thoát hiểm bị khóa vào ban đêm');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    const token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');

    const status = await newPage('vi-VN');
    await status.goto(`${server.url}/status`);
    await status.fill('#token-input', token);
    await status.click('#token-open');
    await status.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    expect(await status.textContent('#status-readers')).toContain(VI_NAME);
    expect(await status.textContent('#status-readers')).toContain('Supplier committee');
  });

  it('shows the certified name, not a name the server forged or moved from another team', async () => {
    const page = await newPage('vi-VN');
    const stranger = await generateKeyPair({ kind: 'investigator' });
    await page.route((url) => url.pathname === `/api/channels/${SLUG}`, async (route) => {
      const response = await route.fetch();
      const channel = (await response.json()) as ChannelInfo;
      const [brand, other] = channel.teams as [ChannelInfo['teams'][number], ChannelInfo['teams'][number]];
      const forged = await signTeamName({
        teamId: other.id, recovery: server.repos.teams.find(other.id)!.recoveryFingerprint, lang: 'vi', name: FORGED, key: stranger.privateKey,
      });
      await route.fulfill({
        response,
        json: {
          ...channel,
          teams: [
            { ...brand, names: [{ lang: 'vi', name: FORGED, signature: brand.names![0]!.signature }] }, // the brand's signature on another name
            { ...other, names: [{ lang: 'vi', name: FORGED, signature: forged }, ...brand.names!] }, // a stranger's key; the brand's name moved
          ],
        },
      });
    });
    await page.goto(link);
    await page.waitForSelector('#team-choice:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent(`label[for="team-${server.team.id}"] .team-name`)).toBe('Brand CSR');
    expect(await page.textContent(`label[for="team-${committee.id}"] .team-name`)).toBe('Supplier committee');
    expect(await page.getAttribute(`label[for="team-${committee.id}"] .team-name`, 'data-name-lang')).toBe('');
    expect(await page.textContent('#team-choice')).not.toContain(FORGED);
  });

  it('lets an administrator type and sign the names in the workspace; an Indonesian worker then reads the Indonesian one', async () => {
    const lead = await server.addInvestigator(committee, { username: 'committee.lead', role: 'admin', password: PASSWORD });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await signIn(page, server.url, { username: lead.username, password: PASSWORD });
    await page.waitForSelector('#team-names-form', { timeout: 60_000 });
    await page.fill('#team-name-id', 'Komite serikat pekerja pemasok');
    await page.fill('#team-name-vi', 'Ủy ban công đoàn nhà cung cấp');
    await page.click('#team-names-form-submit');
    await expect.poll(() => server.repos.teamNames.ofTeam(committee.id).map((n) => n.lang), { timeout: 30_000 }).toEqual(['id', 'vi']);

    const worker = await newPage('id-ID');
    await worker.goto(link);
    await worker.waitForSelector('#team-choice:not([hidden])', { timeout: 60_000 });
    await expect.poll(() => worker.textContent(`label[for="team-${committee.id}"] .team-name`), { timeout: 30_000 }).toBe('Komite serikat pekerja pemasok');
    expect(await worker.textContent(`label[for="team-${committee.id}"] .team-name-certified`)).toBe('Supplier committee');
    // the brand team has no Indonesian name: its certified name
    expect(await worker.textContent(`label[for="team-${server.team.id}"] .team-name`)).toBe('Brand CSR');
  });
});

