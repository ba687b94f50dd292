/**
 * Posters and wallet cards, printed by real Chromium from the real server:
 * a channel offering a supplier's committee and the brand's CSR team, read
 * in Chinese and Hindi. What is checked is the printed result itself — the
 * PDF Chromium makes, turned into pictures by poppler and its QR codes read
 * back by zbar — so a poster that carried another link, lost a language or
 * promised other deadlines than the teams' would fail here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../common/channel-link.ts';
import { WORKER_LANGUAGES } from '../common/limits.ts';
import { describePublicKey } from '../crypto/index.ts';
import { hi } from '../client/team/poster/i18n/hi.ts';
import { zhCN } from '../client/team/poster/i18n/zh-CN.ts';
import { en } from '../client/team/poster/i18n/en.ts';
import { listenTestServer, type ListeningTestServer, type TestTeam } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: ListeningTestServer;
let browser: Browser;
let supplier: TestTeam;
let dir: string;
/** The link the poster must carry, made from the teams' recovery keys themselves. */
let expectedLink: string;
/** What zbar read off the printed poster. */
let scannedLink = '';

/** PDF → one PNG per page (poppler), each page's QR codes (zbar), and the page sizes. */
function readPdf(pdf: Buffer, name: string, dpi = 150) {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '99', file]).toString();
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), file, join(dir, name)]);
  const pngs = readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort();
  const codes = pngs.map((png) => zbar(join(dir, png)));
  return { pages, sizes, codes };
}

/** Every QR code zbar finds in a picture, as text. */
function zbar(png: string): string[] {
  try {
    const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', png]).toString('utf8');
    return out.split('\n').filter((line) => line !== '');
  } catch {
    return []; // zbarimg exits 4 when it finds nothing
  }
}

async function adminContext(investigator = server.team.admin): Promise<BrowserContext> {
  const { cookie } = await server.login(investigator);
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1000, height: 1300 } });
  await context.addCookies([{ name: 'ombud_session', value: cookie, url: server.url }]);
  return context;
}

async function openPrint(context: BrowserContext, hash: string, kind: 'poster' | 'cards'): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      document.documentElement.dataset.cspViolation = event.violatedDirective;
    });
  });
  await page.goto(`${server.url}/poster#${hash}`);
  await page.waitForSelector(`html[data-poster-ready="${kind}"]`, { timeout: 30_000 });
  expect(await page.getAttribute('html', 'data-csp-violation')).toBeNull();
  return page;
}

const A4 = [595.28, 841.89];
const isA4 = ([w, h]: number[]) => Math.abs(w! - A4[0]!) < 1.5 && Math.abs(h! - A4[1]!) < 1.5;

beforeAll(async () => {
  for (const tool of ['pdfinfo', 'pdftoppm', 'zbarimg']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`${tool} is missing: run bash scripts/ensure-system-deps.sh`);
    }
  }
  dir = mkdtempSync(join(tmpdir(), 'ombud-posters-'));
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  // Deadlines other than the defaults (7 days, 3 months), so that only the teams' data can produce them.
  server.repos.teams.setDeadlines(server.team.id, 6, 2);
  supplier = await server.addTeam({ name: 'Plant 3 grievance committee', runsDeployment: false });
  server.repos.teams.setDeadlines(supplier.id, 4, 1);
  server.repos.channels.create({
    slug: 'plant-3', name: 'Shenzhen Plant 3', createdDay: '2025-01-01', languages: ['zh-CN', 'hi'],
    teams: [
      { teamId: supplier.id, preselected: true, role: 'workplace', note: '' },
      { teamId: server.team.id, preselected: true, role: 'brand', note: '' },
    ],
  });
  server.repos.channels.create({
    slug: 'plant-12', name: 'Dongguan Precision Electronics Manufacturing Co., Ltd. — Plant 12 (Assembly and Packaging)',
    createdDay: '2025-01-01', // every worker language, as channels made before languages were chosen
    teams: [
      { teamId: supplier.id, preselected: true, role: 'workplace', note: '' },
      { teamId: server.team.id, preselected: true, role: 'brand', note: '' },
    ],
  });
  server.repos.channels.create({ slug: 'plant-9', name: 'Plant 9', createdDay: '2025-01-01', teamIds: [server.team.id], languages: ['en'] });
  const fingerprints = await Promise.all([supplier, server.team].map(async (team) => (await describePublicKey(team.recovery.publicKey)).fingerprint));
  expectedLink = channelLink(server.url, 'plant-3', fingerprints);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the A4 poster', () => {
  it('prints one A4 page per channel language, each in its own language, with the teams’ deadlines', async () => {
    const context = await adminContext();
    const page = await openPrint(context, '/plant-3', 'poster');
    expect(await page.locator('#poster-sheets .sheet').evaluateAll((els) => els.map((el) => el.getAttribute('lang')))).toEqual(['zh-CN', 'hi']);

    const zh = (await page.textContent('.sheet[lang="zh-CN"]'))!;
    expect(zh).toContain(zhCN.headline);
    expect(zh).toContain(zhCN.safeRetaliation);
    // The longest of the teams' deadlines is promised (6 days, 2 months); each team's own is listed.
    expect(zh).toContain('6天内，团队会告诉你他们已经收到你的投诉。');
    expect(zh).toContain('之后2个月内，团队会告诉你他们做了什么。');
    // Who receives it: each team, what it is to these workers, its own deadlines.
    expect(await page.locator('.sheet[lang="zh-CN"] .teams li').evaluateAll((els) =>
      els.map((li) => [...li.children].map((child) => child.textContent)))).toEqual([
      ['Plant 3 grievance committee', zhCN.roleWorkplace, '4天内确认收到，1个月内答复'],
      [server.team.name, zhCN.roleBrand, '6天内确认收到，2个月内答复'],
    ]);
    expect(zh).toContain(`${server.url.replace('http://', '')}/status`);
    expect(zh).toContain('हिन्दी'); // “also in”

    const hindi = (await page.textContent('.sheet[lang="hi"]'))!;
    expect(hindi).toContain(hi.headline);
    expect(hindi).toContain('6 दिन के भीतर टीम आपको बताएगी कि आपकी शिकायत मिल गई है।');
    expect(hindi).toContain('फिर 2 महीने के भीतर');
    expect(hindi).not.toContain(en.headline);

    // Nothing spills over the page, and the administrator's key check names both keys.
    expect(await page.locator('.sheet').evaluateAll((els) => els.map((el) => el.getAttribute('data-overflow')))).toEqual(['false', 'false']);
    const keyCheck = (await page.textContent('.sheet[lang="hi"] .key-check'))!;
    const [supplierFp, csrFp] = /#pins=([0-9a-f]{40})\.([0-9a-f]{40})$/.exec(expectedLink)!.slice(1);
    expect(keyCheck).toContain(supplierFp!.slice(0, 16).toUpperCase().match(/.{4}/g)!.join(' '));
    expect(keyCheck).toContain(csrFp!.slice(0, 16).toUpperCase().match(/.{4}/g)!.join(' '));

    const printed = readPdf(await page.pdf({ format: 'A4' }), 'plant-3-poster');
    expect(printed.pages).toBe(2);
    expect(printed.sizes.every(isA4)).toBe(true);
    // The QR code on every printed page decodes to exactly the pinned link.
    expect(printed.codes).toEqual([[expectedLink], [expectedLink]]);
    scannedLink = printed.codes[0]![0]!;
    await context.close();
  });

  it('gives a worker who scans the printed code the report form, which trusts the pinned teams’ keys', async () => {
    const phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 740 } });
    const page = await phone.newPage();
    await page.goto(scannedLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
    // The form shows before the crypto chunk is in; the team choice follows once the pins vouched for the keys.
    await page.waitForSelector('#team-choice:not([hidden])', { timeout: 60_000 });
    expect(await page.isHidden('#channel-error')).toBe(true);
    expect(await page.textContent('#team-choice')).toContain('Plant 3 grievance committee');
    await phone.close();
  });

  // Here the page size comes from the page's own `@page { size: A4 }`, as when an administrator prints.
  it('prints a one-language channel as exactly one A4 page whose QR code pins its team', async () => {
    const context = await adminContext();
    const page = await openPrint(context, '/plant-9', 'poster');
    expect(await page.textContent('.sheet')).toContain(en.headline);
    const printed = readPdf(await page.pdf({ preferCSSPageSize: true }), 'plant-9-poster');
    expect(printed.pages).toBe(1);
    expect(isA4(printed.sizes[0]!)).toBe(true);
    const fingerprint = (await describePublicKey(server.team.recovery.publicKey)).fingerprint;
    expect(printed.codes).toEqual([[channelLink(server.url, 'plant-9', [fingerprint])]]);
    await context.close();
  });

  it('fits every worker language on one page each, poster and cards, even with a long channel name', async () => {
    const context = await adminContext();
    const page = await openPrint(context, '/plant-12', 'poster');
    const sheets = await page.locator('.sheet').evaluateAll((els) => els.map((el) => [el.getAttribute('lang'), el.getAttribute('data-overflow')]));
    expect(sheets).toEqual(WORKER_LANGUAGES.map((lang) => [lang, 'false']));
    const printed = readPdf(await page.pdf({ format: 'A4' }), 'plant-12-poster', 100);
    expect(printed.pages).toBe(WORKER_LANGUAGES.length);
    expect(printed.codes.map((codes) => codes.length)).toEqual(WORKER_LANGUAGES.map(() => 1));
    // …and every wallet card keeps all its text inside its 85.6 × 54 mm.
    const cards = await openPrint(context, '/plant-12/cards', 'cards');
    expect(await cards.locator('.sheet').evaluateAll((els) => els.map((el) => el.getAttribute('data-overflow')))).toEqual(Array(WORKER_LANGUAGES.length).fill('false'));
    await context.close();
  });

  it('shows the QR code on screen that decodes to the same link (and prints the whole link for typing)', async () => {
    const context = await adminContext();
    const page = await openPrint(context, '/plant-3/poster/zh-CN', 'poster');
    const shot = join(dir, 'qr-screen.png');
    await page.locator('.sheet .link-qr').screenshot({ path: shot });
    expect(zbar(shot)).toEqual([expectedLink]);
    // <wbr> break opportunities only: the text a reader types is the link, character for character.
    expect(await page.textContent('.sheet .typed-link')).toBe(expectedLink);
    await context.close();
  });

  it('prints the languages an administrator picks, in the order picked', async () => {
    const context = await adminContext();
    const page = await openPrint(context, '/plant-3', 'poster');
    await page.check('input[name=poster-lang][value="vi"]');
    await page.waitForFunction(() => document.querySelectorAll('#poster-sheets .sheet').length === 3);
    await page.waitForSelector('html[data-poster-ready="poster"]');
    expect(page.url()).toMatch(/#\/plant-3\/poster\/zh-CN,hi,vi$/);
    expect(await page.locator('#poster-sheets .sheet').evaluateAll((els) => els.map((el) => el.getAttribute('lang')))).toEqual(['zh-CN', 'hi', 'vi']);
    await context.close();
  });
});

describe('the wallet cards', () => {
  it('prints five fold-over cards of 85.6 × 54 mm per A4 sheet, whose QR codes decode to the pinned link', async () => {
    const context = await adminContext();
    const page = await openPrint(context, '/plant-3/cards', 'cards');
    await page.emulateMedia({ media: 'print' });
    const faces = await page.locator('.sheet[lang="zh-CN"] .card').evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return { side: el.classList.contains('front') ? 'front' : 'back', width: box.width, height: box.height };
      }),
    );
    expect(faces).toHaveLength(10);
    expect(faces.filter((f) => f.side === 'front')).toHaveLength(5);
    const mm = 96 / 25.4;
    for (const face of faces) {
      expect(face.width / mm).toBeCloseTo(85.6, 1);
      expect(face.height / mm).toBeCloseTo(54, 1);
    }
    const back = (await page.textContent('.sheet[lang="hi"] .card.back'))!;
    expect(back).toContain('6 दिन के भीतर');
    expect(back).toContain(hi.howVoice);

    const printed = readPdf(await page.pdf({ format: 'A4' }), 'plant-3-cards', 300);
    expect(printed.pages).toBe(2);
    expect(printed.sizes.every(isA4)).toBe(true);
    expect(printed.codes.map((codes) => codes.length)).toEqual([5, 5]);
    expect(printed.codes.flat().every((code) => code === expectedLink)).toBe(true);
    await context.close();
  });
});

describe('on screen', () => {
  it('has no serious accessibility problem and fits a 360 px screen', async () => {
    const context = await adminContext();
    const page = await openPrint(context, '/plant-3', 'poster');
    await page.setViewportSize({ width: 360, height: 740 });
    // axe through the DevTools protocol, so the page's CSP stays on (as in tests/a11y.test.ts).
    await page.evaluate(AXE_SOURCE);
    const serious = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(d: Document): Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
      return (await axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(serious).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();
  });
});

describe('who may print', () => {
  it('tells the administrator of another team that only the deployment’s administrators print posters', async () => {
    const context = await adminContext(supplier.admin);
    const page = await context.newPage();
    await page.goto(`${server.url}/poster#/plant-3`);
    await page.waitForSelector('#poster-status:not([hidden])');
    await page.waitForFunction(() => !document.querySelector('#poster-status')!.textContent!.includes('Loading'));
    expect(await page.textContent('#poster-status')).toMatch(/Only an administrator of the team that runs this deployment/);
    expect(await page.locator('.sheet').count()).toBe(0);
    await context.close();
  });

  it('asks someone not signed in to sign in first', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/poster#/plant-3`);
    await page.waitForFunction(() => /Sign in/.test(document.querySelector('#poster-status')?.textContent ?? ''));
    expect(await page.locator('.sheet').count()).toBe(0);
    await context.close();
  });
});
