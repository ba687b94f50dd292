/**
 * The report page shows its form after one wave of requests behind its HTML
 * (docs/performance.md, "Seventh run"): its scripts in one chunk
 * (scripts/report-chunk.ts), and the language catalog and the channel asked
 * for by the page's inline script (common/report-early-script.ts) while that
 * chunk is on its way — in Chromium, against the real server, on a link
 * slowed to 300 ms a request so that the waves are told apart. The inline
 * script runs under the real CSP (no violation), and the channel is fetched
 * once: the page reads the inline script's answer instead of asking again.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../common/channel-link.ts';
import { listenTestServer, type ListeningTestServer } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

let server: ListeningTestServer;
let browser: Browser;

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Seen { path: string; start: number; end?: number }

async function openForm(locale: string, storedLang?: string) {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: 1_000_000, uploadThroughput: 1_000_000 });
  const seen = new Map<object, Seen>();
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => seen.set(request, { path: new URL(request.url()).pathname, start: performance.now() }));
  page.on('requestfinished', (request) => { const s = seen.get(request); if (s) s.end = performance.now(); });
  const link = channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]);
  // The worker's earlier choice, in the tab's storage before any script of the page runs (a fresh cache still).
  if (storedLang) await page.addInitScript((lang) => sessionStorage.setItem('ombud.lang', lang), storedLang);
  const opened = performance.now();
  await page.goto(link);
  await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
  const shownAt = performance.now();
  const before = [...seen.values()].filter((s) => s.start >= opened && s.start < shownAt && !s.path.endsWith('.svg'));
  const lang = await page.evaluate(() => document.documentElement.lang);
  await context.close();
  return { before, problems, lang };
}

describe('the report page before its form shows', () => {
  it('makes one wave of requests behind its HTML: one script chunk, its stylesheet, the catalog and the channel', async () => {
    const { before, problems, lang } = await openForm('en-GB');
    expect(problems).toEqual([]);
    expect(lang).toBe('en');
    const [html, ...rest] = before.sort((a, b) => a.start - b.start);
    expect(html!.path).toBe(`/r/${server.team.channelSlug}`);
    const channel = rest.filter((s) => s.path === `/api/channels/${server.team.channelSlug}`);
    expect(channel).toHaveLength(1);
    expect(rest.filter((s) => /^\/assets\/en-/.test(s.path)).length).toBeGreaterThan(0);
    // The wave: what was asked for before the first answer behind the HTML came back, so before any script ran
    // but the inline one. The channel and the catalog are in it; what the page asks for later (the crypto chunk,
    // preloaded once the page runs) is not what the form waits for.
    const firstBack = Math.min(...rest.map((s) => s.end ?? Infinity));
    const wave = rest.filter((s) => s.start < firstBack);
    expect(wave.map((s) => s.path)).toContain(`/api/channels/${server.team.channelSlug}`);
    expect(wave.filter((s) => /^\/assets\/en-/.test(s.path)).length).toBeGreaterThan(0);
    expect(wave.filter((s) => s.path.endsWith('.js')).length).toBeLessThanOrEqual(5);
    expect(wave.filter((s) => s.path.endsWith('.css'))).toHaveLength(1);
    expect(wave.length).toBeLessThanOrEqual(7);
    // Nothing the form needs came in a later wave: no other stylesheet, no catalog, no second channel request.
    expect(rest.filter((s) => s.start >= firstBack && (s.path.endsWith('.css') || /^\/(api\/channels|assets\/en-)/.test(s.path)))).toEqual([]);
  });

  it('asks early for the catalog of the language the worker chose before, not the browser\'s', async () => {
    const { before, problems, lang } = await openForm('en-GB', 'vi');
    expect(problems).toEqual([]);
    expect(lang).toBe('vi');
    const rest = before.filter((s) => s.path !== `/r/${server.team.channelSlug}`);
    const firstBack = Math.min(...rest.map((s) => s.end ?? Infinity));
    const vi = rest.filter((s) => /^\/assets\/vi-/.test(s.path));
    expect(vi.length).toBeGreaterThan(0);
    for (const s of vi) expect(s.start).toBeLessThan(firstBack);
    expect(rest.filter((s) => /^\/assets\/en-/.test(s.path))).toEqual([]);
  });
});
