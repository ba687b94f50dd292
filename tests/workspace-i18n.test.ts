/**
 * The workspace in the investigator's language, in Chromium against the real
 * server and the built client: every view of client/team/routes.ts (and the
 * sign-in form, setup, join and recover pages) is walked in zh-CN and in vi,
 * and nothing on screen is English except user data (the report's words, the
 * team's and channel's names, people's names), fingerprints, addresses and
 * product names. Two checks: no visible text (nor label, placeholder, title)
 * is a value of the English catalog, and no English word is left — for
 * Chinese any Latin word, for Vietnamese any word the English catalog uses
 * that Vietnamese does not. axe finds no serious or critical problem at
 * 1280 px in zh-CN. The choice of language is kept with the account.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { teamEn } from '../client/i18n/team.en.ts';
import { WORKSPACE_LANGUAGES, WORKSPACE_LANGUAGE_NAMES } from '../common/workspace-languages.ts';
import { LANGUAGE_NAMES } from '../client/i18n/index.ts';
import { ROUTES } from '../client/team/routes.ts';
import { launchBrowser } from './support/browser.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'Correct-Horse-Workspace-Battery';
/** The report's words: user data, shown as the worker wrote them. */
const USER_DATA = ['Wages were cut without notice', 'Last month', 'Sewing hall', 'Line leader', 'Pay what is owed'];

let dataDir: string;
let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let caseId = '';

/** Texts anyone may see untranslated: user data, names, product and format names, language names. */
function allowed(): string[] {
  return [
    ...USER_DATA, server.team.name, server.team.channelSlug, ...server.repos.channels.list().map((c) => c.name),
    ...server.repos.investigators.ofTeam(server.team.id).flatMap((i) => [i.displayName, i.username, i.id]),
    server.team.id, caseId, caseId.slice(0, 8),
    ...Object.values(WORKSPACE_LANGUAGE_NAMES), ...Object.values(LANGUAGE_NAMES),
    'Ombud', 'GnuPG', 'OpenPGP', 'BEGIN PGP PRIVATE KEY BLOCK', 'gpg --import',
    // Names of the audio formats a recorded prompt may come in (client/team/prompts.ts).
    'Ogg Opus', 'WebM Opus',
  ];
}

/** Words of the English catalog that are not also Vietnamese words written without marks. */
const VI_WORDS_TOO = new Set(['in', 'an', 'ban', 'tin', 'thu', 'hay', 'con', 'cho', 'chi', 'do', 'to', 'me', 'the', 'em', 'ma', 'nam', 'lo']);
const ENGLISH_WORDS = new Set(
  Object.values(teamEn)
    .flatMap((text) => text.replace(/\{\w+\}/g, ' ').match(/[A-Za-z]{2,}/g) ?? [])
    .map((w) => w.toLowerCase())
    .filter((w) => !VI_WORDS_TOO.has(w)),
);
const ENGLISH_VALUES = new Set(Object.values(teamEn).filter((text) => /[A-Za-z]{3,}/.test(text.replace(/\{\w+\}|Ombud/g, ''))).map((t) => t.trim()));

/** Visible texts of the page: text nodes of shown elements, and their labels, placeholders and titles. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const shown = (el: Element) => {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') return false;
      return el.getClientRects().length > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (!text || !parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA'].includes(parent.tagName)) continue;
      if (parent.tagName === 'OPTION' ? !shown(parent.closest('select')!) : !shown(parent)) continue;
      // Text marked as another language (a worker language's own name, the workers' texts to record) is not the page's.
      const marked = parent.closest('[lang]');
      if (marked && marked !== document.documentElement && marked.getAttribute('lang') !== document.documentElement.lang) continue;
      // The worker pages' own texts, shown to be recorded (client/team/prompts.ts): the workers' catalog, checked there.
      if (parent.closest('[data-worker-text]')) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label], [placeholder], [title]')) {
      if (!shown(el)) continue;
      for (const attr of ['aria-label', 'placeholder', 'title']) {
        const value = el.getAttribute(attr)?.trim();
        if (value) out.push(value);
      }
    }
    out.push(document.title);
    return out;
  });
}

/** What on the page is English: whole catalog values, and English words outside the allowed texts. */
async function englishOn(page: Page, lang: 'zh-CN' | 'vi' | 'ur'): Promise<string[]> {
  const found: string[] = [];
  const allow = allowed().sort((a, b) => b.length - a.length);
  for (const text of await visibleTexts(page)) {
    if (ENGLISH_VALUES.has(text) && !allow.includes(text)) {
      found.push(`catalog text: ${text}`);
      continue;
    }
    // Addresses, file names, fingerprints, acronyms (A4, QR, USB, NGO…); then user data and names.
    let rest = text.replace(/https?:\/\/\S+|\/r\/\S*/g, ' ');
    for (const a of allow) rest = rest.split(a).join(' ');
    rest = rest.replace(/\S*\.(asc|gpg|zip|txt)\b|\b[0-9A-F]{4}(\s[0-9A-F]{4})+\b|\b[0-9a-f]{16,}\b|\b[A-Z0-9]{2,}\b/g, ' ');
    const words = rest.match(/[A-Za-z]{2,}/g) ?? [];
    // Chinese and Urdu have no Latin words of their own: any left is English.
    const english = lang === 'vi' ? words.filter((w) => ENGLISH_WORDS.has(w.toLowerCase())) : words;
    if (english.length > 0) found.push(`${english.join(' ')} ← ${text}`);
  }
  return [...new Set(found)];
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function desk(locale: string): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
}

async function signIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/team`);
  await page.waitForSelector('#login-form:not([hidden])');
  await page.fill('#login-username', lead.username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });
  return page;
}

/** Opens a view by its address and waits until its data has arrived and been drawn. */
async function open(page: Page, hash: string, view: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForSelector(`#${view}:not([hidden])`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

function reportText(): Uint8Array {
  const report = { v: 1, lang: 'en', category: 'wages', what: USER_DATA[0], when: USER_DATA[1], where: USER_DATA[2], ongoing: 'yes', involved: USER_DATA[3], wish: USER_DATA[4], contact: '' };
  return new TextEncoder().encode(JSON.stringify(report));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ombud-workspace-i18n-'));
  server = await listenTestServer({ dbPath: join(dataDir, 'ombud.db'), config: { clientDir: resolve('dist/client') } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  ({ caseId } = await server.submitReport({ plaintext: reportText() }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the checks themselves', () => {
  it('find an English catalog text and an English word, and let user data and names through', async () => {
    const context = await desk('zh-CN');
    const page = await context.newPage();
    await page.setContent(`<html lang="zh-CN"><title>案件</title><body><main><p>${teamEn['inbox.refresh']}</p><p>案件 Stage</p><p>${USER_DATA[0]}</p><p>Ombud 团队</p></main></body></html>`);
    expect(await englishOn(page, 'zh-CN')).toEqual([`catalog text: ${teamEn['inbox.refresh']}`, 'Stage ← 案件 Stage']);
    await page.setContent('<html lang="vi"><title>Vụ việc</title><body><main><p>Giai đoạn</p><p>Đã nhận ngày 3 received</p></main></body></html>');
    expect(await englishOn(page, 'vi')).toEqual(['received ← Đã nhận ngày 3 received']);
    await context.close();
  });
});

describe.each(['zh-CN', 'vi'] as const)('the workspace in %s', (lang) => {
  it('shows every page without an English word outside user data', async () => {
    const context = await desk(lang);
    const pages: Record<string, string[]> = {};
    const errors: string[] = [];
    const login = await context.newPage();
    login.on('pageerror', (error) => errors.push(error.message));
    await login.goto(`${server.url}/team`);
    await login.waitForSelector('#login-form:not([hidden])');
    expect(await login.getAttribute('html', 'lang')).toBe(lang);
    expect(await login.inputValue('#team-lang')).toBe(lang); // from the browser's language
    pages.login = await englishOn(login, lang);
    await login.close();

    const page = await signIn(context);
    page.on('pageerror', (error) => errors.push(error.message));
    pages.inbox = await englishOn(page, lang);
    for (const route of ROUTES) {
      const hash = route.name === 'case' ? `#/case/${caseId}` : `#/${route.name}`;
      await open(page, hash, route.view);
      if (route.name === 'case') await page.waitForSelector('#case-report dd');
      if (route.name === 'stats') await page.waitForSelector('#stats-view table, #stats-view .stats-total', { timeout: 30_000 }).catch(() => undefined);
      pages[route.name] = await englishOn(page, lang);
    }
    // The account menu and its dialogs.
    await open(page, '#/', 'inbox-view');
    await page.click('#account-name');
    pages.accountMenu = await englishOn(page, lang);

    for (const [path, ready] of [['/setup', '#setup-status'], ['/join', '#join-status'], ['/recover', '#recover-heading']] as const) {
      const other = await context.newPage();
      other.on('pageerror', (error) => errors.push(error.message));
      await other.goto(`${server.url}${path}`);
      await other.waitForSelector(ready);
      await other.waitForLoadState('networkidle');
      expect(await other.getAttribute('html', 'lang')).toBe(lang);
      pages[path] = await englishOn(other, lang);
      await other.close();
    }
    expect(errors).toEqual([]);
    expect(Object.fromEntries(Object.entries(pages).filter(([, found]) => found.length > 0))).toEqual({});
    await context.close();
  });
});

describe('choosing the language', () => {
  it('switches the open page at once, keeps the choice with the account, and applies it at the next sign-in', async () => {
    const context = await desk('en-GB');
    const page = await signIn(context);
    await open(page, `#/case/${caseId}`, 'case-view');
    await page.waitForSelector('#case-report dd');
    expect(await page.textContent('#case-heading')).toContain('Case');
    await page.focus('#team-lang');
    await page.selectOption('#team-lang', 'vi');
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    await page.waitForFunction(() => document.querySelector('#case-heading')?.textContent?.startsWith('Vụ việc'));
    await expect.poll(() => server.repos.investigators.languageOf(lead.id)).toBe('vi');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('team-lang');
    await context.close();

    // Another browser, in English: the account's choice wins after sign-in.
    const other = await desk('en-GB');
    const again = await signIn(other);
    await again.waitForFunction(() => document.documentElement.lang === 'vi');
    expect(await again.textContent('#inbox-heading')).toBe('Vụ việc');
    await again.selectOption('#team-lang', 'zh-CN');
    await expect.poll(() => server.repos.investigators.languageOf(lead.id)).toBe('zh-CN');
    await other.close();
  });
});

describe('accessibility of the workspace in every language at 1280 px', () => {
  it.each(WORKSPACE_LANGUAGES)('%s: no serious or critical axe finding on any view', async (lang) => {
    const context = await desk(lang);
    const page = await signIn(context);
    // The account's own choice wins at sign-in (the test above saved one): choose this language, as an investigator would.
    if ((await page.getAttribute('html', 'lang')) !== lang) await page.selectOption('#team-lang', lang);
    await page.waitForFunction((wanted) => document.documentElement.lang === wanted, lang);
    const found: Record<string, string[]> = { inbox: await seriousViolations(page) };
    for (const route of ROUTES) {
      await open(page, route.name === 'case' ? `#/case/${caseId}` : `#/${route.name}`, route.view);
      if (route.name === 'case') await page.waitForSelector('#case-report dd');
      found[route.name] = await seriousViolations(page);
    }
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
    await context.close();
  });
});

// Last: it leaves Urdu as the account's language, which the sign-ins above would otherwise pick up.
describe('the workspace in Urdu, right to left', () => {
  it('lays every view out right to left, in Urdu, with no English word outside user data and no serious axe finding at 1280 px', async () => {
    const context = await desk('ur');
    const page = await signIn(context);
    await page.selectOption('#team-lang', 'ur');
    await page.waitForFunction(() => document.documentElement.lang === 'ur');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('#inbox-heading')).toBe('معاملات');
    // The chooser's globe is drawn, not the emoji 🌐, which is a box on a computer without a colour-emoji font (as the worker pages found).
    expect(await page.$eval('#team-lang-box label', (l) => ({ emoji: l.textContent?.includes('🌐'), svg: l.querySelector('svg.lang-icon') !== null }))).toEqual({ emoji: false, svg: true });
    const found: Record<string, string[]> = { inbox: await englishOn(page, 'ur') };
    // Nastaliq stands taller than Latin: a badge (white on red) must be tall enough to hold it, or its words spill onto the white page.
    const shortBadges = await page.$$eval('.badge', (badges) =>
      badges.filter((b) => b.getBoundingClientRect().height < 1.8 * parseFloat(getComputedStyle(b).fontSize)).map((b) => b.textContent),
    );
    expect(shortBadges).toEqual([]);
    const direction: Record<string, string | null> = {};
    const axe: Record<string, string[]> = { inbox: await seriousViolations(page) };
    // A person looks at this one (the mirrored layout, the Nastaliq/Naskh text); it stays in the temp directory.
    await page.screenshot({ path: join(tmpdir(), 'ombud-workspace-ur-inbox-1280.png'), fullPage: true });
    for (const route of ROUTES) {
      await open(page, route.name === 'case' ? `#/case/${caseId}` : `#/${route.name}`, route.view);
      if (route.name === 'case') await page.waitForSelector('#case-report dd');
      found[route.name] = await englishOn(page, 'ur');
      axe[route.name] = await seriousViolations(page);
      direction[route.name] = await page.getAttribute('html', 'dir');
    }
    await page.screenshot({ path: join(tmpdir(), 'ombud-workspace-ur-case-1280.png'), fullPage: true }).catch(() => undefined);
    expect(Object.values(direction).every((dir) => dir === 'rtl')).toBe(true);
    expect(Object.fromEntries(Object.entries(axe).filter(([, v]) => v.length > 0))).toEqual({});
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
    await context.close();
  });
});
