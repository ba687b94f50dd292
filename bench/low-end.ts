/**
 * Low-end phone figures: a worker on a cheap Android phone with a weak
 * signal. Chromium's CPU is throttled 4× and its network set to DevTools'
 * "Slow 3G" profile through the DevTools protocol (Emulation.setCPUThrottlingRate,
 * Network.emulateNetworkConditions), in a fresh context each run.
 *
 *   low_end_form_ms             link opened → the worker can write: "What happened?" shown in their language, its
 *                               text box on screen and taking text (the early form: common/report-early-script.ts)
 *   low_end_form_full_ms        link opened → the whole form (every field, the send button, its submit handler in place);
 *                               what was written in the early form is checked to be still there
 *   low_end_submit_2kb_ms       "send" pressed → receipt shown, for 2 KB of text, after WRITING_MS of writing
 *                               (the form's work ahead of send, client/lib/groundwork.ts, runs meanwhile)
 *   low_end_submit_2kb_cold_ms  the same, "send" pressed as soon as the text is in (nothing done ahead)
 *   flaky_submit_20mb_ok   1 if a report with a 20 MiB file completes through a proxy
 *                          that cuts every connection every few seconds (scripts/cutting-proxy.ts), else 0
 *
 * Targets (docs/performance.md): form ≤ 3,000 ms, submit ≤ 10,000 ms.
 * Alone: npx tsx bench/low-end.ts [--client-dir dist/client] [--runs 3] [--waterfall | --form-only] [--skip-flaky | --flaky-only]
 *        (a built client; `npx vite build`)
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ChannelInfo } from '../common/api.ts';
import { channelLink } from '../common/channel-link.ts';
import { fingerprintOf } from '../crypto/index.ts';
import { launchBrowser } from '../scripts/chromium.ts';
import { startCuttingProxy } from '../scripts/cutting-proxy.ts';
import { benchPdf } from './browser.ts';
import { startChild } from './child.ts';

/** DevTools' "Slow 3G" preset: 500 kbit/s × 0.8 each way, 400 ms × 5 round-trip latency. */
export const SLOW_3G = { offline: false, latency: 2_000, downloadThroughput: 50_000, uploadThroughput: 50_000 } as const;
export const CPU_SLOWDOWN = 4;
/** The flaky link: fast enough for a 20 MiB file in about a minute, cut every CUT_EVERY_MS. */
const FLAKY = { offline: false, latency: 150, downloadThroughput: 1_000_000, uploadThroughput: 400_000 } as const;
const CUT_EVERY_MS = 4_000;

/**
 * How long the worker writes before pressing send: 20 s, a deliberately short stay. Typing 2 KB on a phone
 * takes minutes (at 30 words a minute, about twelve); a worker who pastes a prepared text is the cold case.
 */
export const WRITING_MS = 20_000;

const MOBILE = { viewport: { width: 360, height: 740 }, locale: 'en-GB' } as const;

async function pinnedLink(url: string, channel: string, linkBase = url): Promise<string> {
  const info = (await (await fetch(`${url}/api/channels/${channel}`)).json()) as ChannelInfo;
  return channelLink(linkBase, channel, await Promise.all(info.teams.map((team) => fingerprintOf(team.recoveryKey))));
}

async function lowEndPage(context: BrowserContext, network: typeof SLOW_3G | typeof FLAKY, cpu = CPU_SLOWDOWN): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { ...network });
  return page;
}

/** The early form is usable: the question's text filled in, its text box shown and taking text. */
function earlyFormWritable(): boolean {
  const box = document.querySelector<HTMLTextAreaElement>('#f-what');
  const question = document.querySelector('label[for="f-what"] span');
  return !!box && !!question && (question.textContent ?? '').trim() !== '' && box.checkVisibility() && !box.disabled && !box.readOnly;
}
const WHOLE_FORM = '#report-form:not([hidden]):not([data-early]) #send';

/** Link opened → the worker can write, and → the whole form, on the throttled phone, with nothing cached. */
export async function lowEndFormMs(browser: Browser, url: string, channel: string): Promise<{ writable: number; full: number }> {
  const link = await pinnedLink(url, channel);
  const context = await browser.newContext(MOBILE);
  try {
    const page = await lowEndPage(context, SLOW_3G);
    const start = performance.now();
    await page.goto(link, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(earlyFormWritable, undefined, { timeout: 120_000, polling: 'raf' });
    const writable = Math.round(performance.now() - start);
    // The worker starts at once; what they wrote must still be there in the whole form.
    await page.type('#f-what', 'The doors', { timeout: 120_000 });
    await page.waitForSelector(WHOLE_FORM, { state: 'visible', timeout: 120_000 });
    const full = Math.round(performance.now() - start);
    const kept = await page.inputValue('#f-what');
    if (!kept.startsWith('The doors')) throw new Error(`the whole form lost what was written in the early form: ${JSON.stringify(kept)}`);
    return { writable, full };
  } finally {
    await context.close();
  }
}

/** The form's load on the throttled phone, request by request (ms from the link opened): what waits for what. */
export async function formWaterfall(browser: Browser, url: string, channel: string): Promise<string[]> {
  const link = await pinnedLink(url, channel);
  const context = await browser.newContext(MOBILE);
  try {
    const page = await lowEndPage(context, SLOW_3G);
    const lines: string[] = [];
    const start = performance.now();
    const at = () => Math.round(performance.now() - start);
    const began = new Map<object, number>();
    page.on('request', (request) => began.set(request, at()));
    page.on('requestfinished', async (request) => {
      const size = (await request.sizes().catch(() => undefined))?.responseBodySize ?? 0;
      lines.push(`${String(began.get(request)).padStart(6)} → ${String(at()).padStart(6)} ms  ${String(size).padStart(7)} B  ${request.url().replace(url, '')}`);
    });
    await page.goto(link, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(earlyFormWritable, undefined, { timeout: 120_000, polling: 'raf' });
    lines.push(`early form writable at ${at()} ms`);
    await page.waitForSelector(WHOLE_FORM, { state: 'visible', timeout: 120_000 });
    lines.push(`whole form at ${at()} ms`);
    return lines;
  } finally {
    await context.close();
  }
}

/**
 * "send" pressed → receipt shown, 2 KB of text, on the throttled phone (the page already open). The worker
 * starts writing (focus) and presses send `writingMs` later; 0: the text is pasted and sent at once.
 */
export async function lowEndSubmit2kbMs(browser: Browser, url: string, channel: string, writingMs = WRITING_MS): Promise<number> {
  const link = await pinnedLink(url, channel);
  const context = await browser.newContext(MOBILE);
  try {
    const page = await lowEndPage(context, SLOW_3G);
    await page.goto(link, { timeout: 120_000 });
    await page.waitForSelector(WHOLE_FORM, { state: 'visible', timeout: 120_000 });
    await page.focus('#f-what');
    await page.waitForTimeout(writingMs);
    await page.fill('#f-what', 'The doors of hall 3 are locked during the night shift. '.repeat(60).slice(0, 2048));
    const start = performance.now();
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 300_000 });
    return Math.round(performance.now() - start);
  } finally {
    await context.close();
  }
}

/** 1 if a report with a 20 MiB file gets its receipt through a connection cut every few seconds, else 0. */
export async function flakySubmit20mbOk(browser: Browser, url: string, channel: string): Promise<{ ok: 0 | 1; cuts: number; note: string }> {
  const proxy = await startCuttingProxy({ origin: url });
  proxy.target = Number(new URL(url).port);
  const context = await browser.newContext(MOBILE);
  try {
    const page = await lowEndPage(context, FLAKY, 1);
    await page.goto(await pinnedLink(url, channel, proxy.url), { timeout: 120_000 });
    await page.waitForSelector(WHOLE_FORM, { state: 'visible', timeout: 120_000 });
    await page.fill('#f-what', 'The fire exits of hall 3 are chained during the night shift.');
    // Handing 20 MiB to the page over the DevTools protocol takes a while on a loaded machine: cut only after.
    await page.setInputFiles('#attach-input', { name: 'inspection.pdf', mimeType: 'application/pdf', buffer: benchPdf(20 * 1024 * 1024) }, { timeout: 300_000 });
    proxy.cutEvery(CUT_EVERY_MS);
    // A file the page gave up on ("not sent", with "try again") ends the wait too: that is a 0, said at once.
    await page.waitForSelector('#attach-list li[data-state=done], #attach-list li[data-state=failed]', { timeout: 600_000 });
    if (await page.$('#attach-list li[data-state=failed]')) throw new Error('the page gave the upload up');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 300_000 });
    const size = 20 * 1024 * 1024;
    return { ok: 1, cuts: proxy.cuts, note: `${proxy.cuts} cuts, ${proxy.patchRequests} PATCH tries, ${(proxy.patchBodyBytes / size).toFixed(3)}× the file's bytes sent` };
  } catch (error) {
    // What the worker would see: the file's line (its state and words) and any error shown.
    const seen = await context.pages()[0]?.evaluate(() => [...document.querySelectorAll<HTMLElement>('#attach-list li, #attach-error:not([hidden]), #form-error:not([hidden])')]
      .map((el) => `${el.dataset.state ?? el.id}: ${el.textContent?.replace(/\s+/g, ' ').trim()}`).join(' | ')).catch(() => 'page gone') ?? 'no page';
    return {
      ok: 0, cuts: proxy.cuts,
      note: `failed after ${proxy.cuts} cuts, ${proxy.patchRequests} PATCH tries: ${(error as Error).message.split('\n')[0]}; the page showed: ${seen}`,
    };
  } finally {
    await context.close();
    await proxy.close();
  }
}

export interface LowEndFigures {
  low_end_form_ms: number;
  low_end_form_full_ms: number;
  low_end_submit_2kb_ms: number;
  low_end_submit_2kb_cold_ms: number;
  /** null when skipped (`--skip-flaky`, alone only). */
  flaky_submit_20mb_ok: 0 | 1 | null;
  notes: Record<string, string>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Every low-end key against a running Ombud (`url`, `channel`); `runs` of each timed one, the median kept. */
export async function measureLowEnd(browser: Browser, url: string, channel: string, runs = 3, flakyToo = true): Promise<LowEndFigures> {
  const form: number[] = [];
  const full: number[] = [];
  const submit: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const opened = await lowEndFormMs(browser, url, channel);
    form.push(opened.writable);
    full.push(opened.full);
  }
  for (let i = 0; i < runs; i++) submit.push(await lowEndSubmit2kbMs(browser, url, channel));
  for (let i = 0; i < runs; i++) cold.push(await lowEndSubmit2kbMs(browser, url, channel, 0));
  const flaky = flakyToo ? await flakySubmit20mbOk(browser, url, channel) : { ok: null, note: 'skipped' };
  return {
    low_end_form_ms: median(form),
    low_end_form_full_ms: median(full),
    low_end_submit_2kb_ms: median(submit),
    low_end_submit_2kb_cold_ms: median(cold),
    flaky_submit_20mb_ok: flaky.ok,
    notes: {
      low_end_form_ms: `median of ${form.join(', ')}; link opened → "What happened?" writable; CPU ÷${CPU_SLOWDOWN}, Slow 3G (${SLOW_3G.latency} ms, ${SLOW_3G.downloadThroughput} B/s)`,
      low_end_form_full_ms: `median of ${full.join(', ')}; link opened → the whole form, the early form's text kept; CPU ÷${CPU_SLOWDOWN}, Slow 3G`,
      low_end_submit_2kb_ms: `median of ${submit.join(', ')}; send pressed after ${WRITING_MS / 1000} s of writing; CPU ÷${CPU_SLOWDOWN}, Slow 3G`,
      low_end_submit_2kb_cold_ms: `median of ${cold.join(', ')}; send pressed at once; CPU ÷${CPU_SLOWDOWN}, Slow 3G`,
      flaky_submit_20mb_ok: `${flaky.note}; cut every ${CUT_EVERY_MS} ms, ${FLAKY.uploadThroughput} B/s up`,
    },
  };
}

// Alone: its own Ombud (PoW difficulty 16, as the bench's browsers use) and browser.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'client-dir': { type: 'string', default: 'dist/client' },
      runs: { type: 'string', default: '3' },
      'flaky-only': { type: 'boolean', default: false },
      'skip-flaky': { type: 'boolean', default: false },
      'form-only': { type: 'boolean', default: false },
      waterfall: { type: 'boolean', default: false },
    },
  });
  const clientDir = mkdtempSync(join(tmpdir(), 'ombud-low-end-client-'));
  cpSync(values['client-dir'], clientDir, { recursive: true });
  const ombud = await startChild<{ url: string; channel: string }>('bench/ombud-server.ts', ['--pow-difficulty', '16', '--client-dir', clientDir]);
  const browser = await launchBrowser();
  try {
    const runs = Number(values.runs);
    const figures = values.waterfall
      ? (await formWaterfall(browser, ombud.info.url, ombud.info.channel)).join('\n')
      : values['form-only']
      ? await (async () => {
        const form: number[] = [];
        const full: number[] = [];
        for (let i = 0; i < runs; i++) {
          const opened = await lowEndFormMs(browser, ombud.info.url, ombud.info.channel);
          form.push(opened.writable);
          full.push(opened.full);
        }
        return { low_end_form_ms: median(form), low_end_form_full_ms: median(full), note: `medians of ${form.join(', ')} and ${full.join(', ')}` };
      })()
      : values['flaky-only']
      ? await flakySubmit20mbOk(browser, ombud.info.url, ombud.info.channel)
      : await measureLowEnd(browser, ombud.info.url, ombud.info.channel, runs, !values['skip-flaky']);
    console.log(typeof figures === 'string' ? figures : JSON.stringify(figures, null, 2));
  } finally {
    await browser.close();
    await ombud.stop();
    rmSync(clientDir, { recursive: true, force: true });
  }
}
