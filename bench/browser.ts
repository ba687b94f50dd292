/**
 * The browser part of the benchmark, in Debian's Chromium (tests/support):
 * a worker sending a report (everything the page does between the tap on
 * "send" and the receipt), and an investigator signing in to an inbox of
 * many cases. Each run uses a fresh browser context: nothing cached.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ChannelInfo } from '../common/api.ts';
import { channelLink } from '../common/channel-link.ts';
import { fingerprintOf } from '../crypto/index.ts';

/**
 * The channel's link with its pins (docs/protocol.md, "Pinned keys"), as a
 * poster prints it. The bench takes the fingerprints from the server it
 * measures; a worker's link gets them from the poster.
 */
async function pinnedLink(url: string, channel: string): Promise<string> {
  const info = (await (await fetch(`${url}/api/channels/${channel}`)).json()) as ChannelInfo;
  return channelLink(url, channel, await Promise.all(info.teams.map((team) => fingerprintOf(team.recoveryKey))));
}

const MOBILE = { viewport: { width: 360, height: 740 }, locale: 'en-GB' } as const;

/**
 * A PDF of `bytes` bytes (one stream of random bytes): a kind the report page
 * accepts, checks and cleans like any document a worker would attach.
 */
export function benchPdf(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Title (bench) >>\nendobj\n2 0 obj\n<< /Length 0 >>\nstream\n', 'latin1');
  const tail = Buffer.from('\nendstream\nendobj\ntrailer\n<< /Info 1 0 R >>\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(Math.max(0, bytes - head.length - tail.length)), tail]);
}

/** Records, in the page's own clock, when a file was chosen, when send was pressed and when the receipt showed. */
function installPageClock(): void {
  const marks: { chosen?: number; send?: number; receipt?: number } = {};
  (window as unknown as { benchMarks: typeof marks }).benchMarks = marks;
  document.addEventListener('change', (e) => {
    if ((e.target as HTMLElement).id === 'attach-input') marks.chosen ??= performance.now();
  }, true);
  document.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('#send')) marks.send ??= performance.now();
  }, true);
  const receipt = document.getElementById('receipt')!;
  new MutationObserver(() => {
    if (!receipt.hidden) marks.receipt ??= performance.now();
  }).observe(receipt, { attributes: true });
}

/**
 * Milliseconds from pressing send to the receipt, for a report whose "what
 * happened" is `whatChars` long, timed by the page's own clock. With an
 * attachment the clock starts when the file is chosen (the page cleans,
 * encrypts and uploads it from then on; handing 20 MB to the page through
 * the DevTools protocol is not counted) and send is pressed as soon as the
 * file is listed: the worker who does not wait. Throws if the report went
 * without the attachment.
 */
export async function submitReport(
  browser: Browser,
  url: string,
  channel: string,
  opts: { whatChars: number; attachment?: { name: string; bytes: number } },
): Promise<number> {
  const context = await browser.newContext(MOBILE);
  try {
    const page = await context.newPage();
    // The report names its uploaded attachments (upload bodies themselves are not visible to Playwright).
    let attachmentsSent = 0;
    page.on('request', (request) => {
      if (!request.url().endsWith('/api/intake')) return;
      attachmentsSent = (request.postDataJSON() as { attachments?: string[] }).attachments?.length ?? 0;
    });
    await page.goto(await pinnedLink(url, channel));
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.evaluate(installPageClock);
    await page.fill('#f-what', 'The doors of hall 3 are locked during the night shift. '.repeat(60).slice(0, opts.whatChars));
    if (opts.attachment) {
      await page.setInputFiles('#attach-input', {
        name: opts.attachment.name, mimeType: 'application/pdf', buffer: benchPdf(opts.attachment.bytes),
      });
      // Pressed any earlier, send goes without the file: the page lists it only after reading and cleaning it.
      await page.waitForSelector('#attach-list li', { timeout: 60_000 });
    }
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 180_000 });
    if (opts.attachment && attachmentsSent !== 1) throw new Error('the report went without its attachment');
    const marks = await page.evaluate(() => (window as unknown as { benchMarks: Record<string, number> }).benchMarks);
    const start = opts.attachment ? marks.chosen : marks.send;
    if (start === undefined || marks.receipt === undefined) throw new Error(`page clock incomplete: ${JSON.stringify(marks)}`);
    return Math.round(marks.receipt - start);
  } finally {
    await context.close();
  }
}

/** Whether the report page offers a file input (attachments are being built at the time of writing). */
export async function reportPageTakesFiles(browser: Browser, url: string, channel: string): Promise<boolean> {
  const context = await browser.newContext(MOBILE);
  try {
    const page = await context.newPage();
    await page.goto(await pinnedLink(url, channel));
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    return (await page.$('#attach-input')) !== null;
  } finally {
    await context.close();
  }
}

/**
 * Milliseconds from pressing "sign in" (desktop viewport) to, first, the inbox's first page: its status
 * knows the team holds at least `cases` cases, the first rows are drawn (at most 200 until "show more") and
 * the search field is there; and then to every case listed (the whole list arrived, filters and search
 * cover all of it). Both in the page's own clock, from the same click.
 */
export async function openInbox(
  browser: Browser,
  url: string,
  login: { username: string; password: string },
  cases: number,
  /** Write the page's CPU profile (V8 .cpuprofile) of the measured part to this file. */
  profilePath?: string,
): Promise<{ firstMs: number; allMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/team`);
    await page.waitForSelector('#login-form:not([hidden])');
    await page.fill('#login-username', login.username);
    await page.fill('#login-password', login.password);
    const cdp = profilePath ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    // Polled inside the page at every animation frame: the first time each condition held, in the page's clock.
    // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
    await page.evaluate(`(() => {
      const n = ${Math.floor(cases)};
      const marks = {};
      window.inboxMarks = marks;
      document.querySelector('#login-submit').addEventListener('click', () => { marks.click ??= performance.now(); }, { capture: true, once: true });
      const look = () => {
        const status = document.querySelector('#inbox-status')?.dataset;
        const rows = document.querySelectorAll('#case-rows tr[data-case-id]').length;
        // at least n: the submit runs before this add their own cases to the same server
        if (status && Number(status.total ?? 0) >= n && rows >= Math.min(n, 200) && document.querySelector('#filter-search')) {
          marks.first ??= performance.now();
          if (status.complete === 'true' && Number(status.count ?? 0) >= n) marks.all ??= performance.now();
        }
        if (marks.all === undefined) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    })()`);
    await page.click('#login-submit');
    await page.waitForFunction(() => (window as unknown as { inboxMarks: { all?: number } }).inboxMarks.all !== undefined, undefined, { timeout: 180_000, polling: 100 });
    if (cdp && profilePath) writeFileSync(profilePath, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const marks = await page.evaluate(() => (window as unknown as { inboxMarks: { click: number; first: number; all: number } }).inboxMarks);
    return { firstMs: Math.round(marks.first - marks.click), allMs: Math.round(marks.all - marks.click) };
  } finally {
    await context.close();
  }
}
