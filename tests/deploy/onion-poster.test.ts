/**
 * A service with an onion address (OMBUD_EXTRA_ORIGINS) prints it on its
 * posters: under the pinned link, a second, smaller line "Also with Tor
 * Browser:" and the same pinned link on the onion origin, in each sheet's
 * language; the sheets still fit one A4 page each, and the QR code still
 * carries the public link only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../../common/channel-link.ts';
import { hi } from '../../client/team/poster/i18n/hi.ts';
import { zhCN } from '../../client/team/poster/i18n/zh-CN.ts';
import { listenTestServer, type ListeningTestServer } from '../../server/testing.ts';
import { launchBrowser } from '../support/browser.ts';

const ONION = `http://${'p'.repeat(56)}.onion`;
let server: ListeningTestServer;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-onion-poster-'));
  server = await listenTestServer({ config: { clientDir: resolve('dist/client'), extraOrigins: [ONION] } });
  const supplier = await server.addTeam({ name: 'Plant 3 grievance committee', runsDeployment: false });
  server.repos.channels.create({
    slug: 'plant-3', name: 'Shenzhen Plant 3', createdDay: '2025-01-01', languages: ['zh-CN', 'hi'],
    teams: [
      { teamId: supplier.id, preselected: true, role: 'workplace', note: '' },
      { teamId: server.team.id, preselected: true, role: 'brand', note: '' },
    ],
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a poster of a service with an onion address', () => {
  it('prints the onion link as a second line in each language, on one A4 page per language, the QR code unchanged', async () => {
    const { cookie } = await server.login(server.team.admin);
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 1300 } });
    await context.addCookies([{ name: 'ombud_session', value: cookie, url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/poster#/plant-3`);
    await page.waitForSelector('html[data-poster-ready="poster"]', { timeout: 30_000 });

    const fingerprints = server.repos.channels.find('plant-3')!.teamIds.map((id) => server.repos.teams.find(id)!.recoveryFingerprint);
    const onionLink = channelLink(ONION, 'plant-3', fingerprints);
    const publicLink = channelLink(server.url, 'plant-3', fingerprints);
    for (const [lang, texts] of [['zh-CN', zhCN], ['hi', hi]] as const) {
      expect(await page.textContent(`.sheet[lang="${lang}"] .onion-hint`)).toBe(texts.alsoTor);
      expect((await page.textContent(`.sheet[lang="${lang}"] .onion-link`))!.replace(/\s+/g, '')).toBe(onionLink);
    }
    expect(await page.locator('.sheet').evaluateAll((els) => els.map((el) => el.getAttribute('data-overflow')))).toEqual(['false', 'false']);

    const pdf = join(dir, 'poster.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4' }));
    expect(Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf]).toString())?.[1])).toBe(2);
    execFileSync('pdftoppm', ['-png', '-r', '150', pdf, join(dir, 'poster')]);
    const codes = readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((png) =>
      execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', join(dir, png)]).toString('utf8').trim());
    expect(codes).toEqual([publicLink, publicLink]);
    await context.close();
  });
});
