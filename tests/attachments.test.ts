/**
 * Attachments end to end, in Chromium against the real server: a worker
 * attaches a JPEG carrying an EXIF GPS position and a PDF naming its author;
 * the form refuses an oversized and a mislabelled file in plain words; an
 * upload and the report itself are cut off once by the network, and trying
 * again keeps everything typed and chosen. The investigator then opens both
 * files in the browser: the picture decodes, and the GPS position and the
 * author are gone. File names never reach the server in plaintext.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../common/limits.ts';
import { launchBrowser } from './support/browser.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';
import { setUpFirstTeam } from './support/first-team.ts';

const run = Math.random().toString(36).slice(2, 8);
const PHOTO_NAME = `FILENAME-photo-${run}.jpg`;
const PDF_NAME = `FILENAME-sheet-${run}.pdf`;
const WHAT = `The exits are locked ${run}`;
const PASSWORD = `Correct-Horse-${run}-Battery`;
const USERNAME = 'csr.lead';
const fixture = (ext: string) => readFileSync(new URL(`../client/media/fixtures/located.${ext}`, import.meta.url));
/** Written into every fixture by exiftool (artist, XMP creator, IPTC, PDF author). */
const PERSON = 'Li Wei';

let server: RunningServer;
let browser: Browser;
let reportLink = '';
const sent: Buffer[] = [];
const urls: string[] = [];

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true, viewport: { width: 360, height: 740 } });
  context.on('request', (request) => {
    urls.push(request.url());
    sent.push(Buffer.from(JSON.stringify(request.headers())));
    const body = request.postDataBuffer();
    if (body) sent.push(body);
  });
  return context;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function setUp(): Promise<void> {
  const page = await (await newContext()).newPage();
  reportLink = await setUpFirstTeam(page, server, { username: USERNAME, password: PASSWORD });
  await page.context().close();
}

const items = (page: Page) => page.$$eval('#attach-list li', (lis) => lis.map((li) => [li.querySelector('.attach-name')?.textContent, li.getAttribute('data-state')]));

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await setUp();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('attachments', () => {
  it('lets a worker attach a photo and a PDF, refuses bad files clearly, and survives network drops', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.fill('#f-what', WHAT);
    expect(await page.textContent('#attach-hint')).toContain(`${LIMITS.attachmentBytes / 1024 / 1024} MB`);

    // The upload is cut off by the network on every try the page makes by itself (client/media/upload.ts):
    // the file stays, with "Try again".
    let offline = true;
    await page.route('**/api/uploads/**', (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
    await page.setInputFiles('#attach-input', [{ name: PHOTO_NAME, mimeType: 'image/jpeg', buffer: fixture('jpeg') }]);
    await page.waitForSelector('#attach-list li[data-state=failed]', { timeout: 60_000 });
    expect(await page.textContent('#attach-list li .attach-state')).toMatch(/not sent/i);
    offline = false;
    await page.click('#attach-list li .attach-retry');
    await page.waitForSelector('#attach-list li[data-state=done]', { timeout: 60_000 });

    await page.setInputFiles('#attach-input', [{ name: PDF_NAME, mimeType: 'application/pdf', buffer: fixture('pdf') }]);
    await expect.poll(() => items(page), { timeout: 60_000 }).toEqual([[PHOTO_NAME, 'done'], [PDF_NAME, 'done']]);

    // Too big: refused before anything is read, in plain words.
    await page.setInputFiles('#attach-input', [{ name: 'huge.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(LIMITS.attachmentBytes + 1) }]);
    await expect.poll(() => page.textContent('#attach-error')).toMatch(/“huge\.mp4” is too big .* up to 25 MB/);
    // Claims to be a photo, is a PDF.
    await page.setInputFiles('#attach-input', [{ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: fixture('pdf') }]);
    await expect.poll(() => page.textContent('#attach-error')).toMatch(/“holiday\.jpg” is not what its name says: it is really a PDF file/);
    expect((await items(page)).length).toBe(2);
    expect(await page.inputValue('#f-what')).toBe(WHAT);

    // The report itself is cut off on every try the page makes by itself (client/lib/resend.ts): the form,
    // the text and the files stay, the page says the report may not have arrived; sending again works.
    let intakeDropped = true;
    await page.route('**/api/intake', (route) => (intakeDropped ? route.abort('internetdisconnected') : route.continue()));
    await page.click('#send');
    await page.waitForSelector('#form-error:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#form-error')).toMatch(/no answer from the server .* will not be filed twice/i);
    intakeDropped = false;
    expect(await page.inputValue('#f-what')).toBe(WHAT);
    expect(await items(page)).toEqual([[PHOTO_NAME, 'done'], [PDF_NAME, 'done']]);
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    await page.context().close();
  });

  it('lets the investigator open both files, without the GPS position or the author', async () => {
    const page = await (await newContext()).newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/team`);
    await page.waitForSelector('#login-username', { state: 'visible', timeout: 60_000 });
    await page.fill('#login-username', USERNAME);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#inbox-view:not([hidden])');
    await page.click('#case-table tr[data-case-id] a');
    await page.waitForSelector('#case-attachments li[data-attachment-id]', { timeout: 60_000 });
    const rows = await page.$$eval('#case-attachments li', (lis) => lis.map((li) => li.querySelector('.attachment-name')?.textContent ?? ''));
    expect(rows[0]).toContain(`${PHOTO_NAME} · image/jpeg`);
    expect(rows[1]).toContain(`${PDF_NAME} · application/pdf`);

    const open = async (index: number) => {
      const row = page.locator('#case-attachments li').nth(index);
      await row.locator('button').first().click();
      const save = row.locator('.attachment-preview button');
      await save.waitFor({ timeout: 60_000 });
      const download = page.waitForEvent('download');
      await save.click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(index === 0 ? PHOTO_NAME : PDF_NAME);
      return readFileSync((await file.path())!);
    };

    const photo = await open(0);
    // Chromium decoded the cleaned picture.
    await expect.poll(() => page.$eval('#case-attachments li img', (img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(photo.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(photo.includes('Exif\0\0')).toBe(false);
    expect(photo.includes(PERSON)).toBe(false);
    expect(fixture('jpeg').includes('Exif\0\0')).toBe(true);

    const pdf = await open(1);
    expect(pdf.length).toBe(fixture('pdf').length);
    expect(pdf.includes(PERSON)).toBe(false);
    expect(pdf.toString('latin1')).toMatch(/\/Author \(\s+\)/);
    await page.context().close();
  });

  it('sends a large file chosen just before pressing send along with the report', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.fill('#f-what', WHAT);
    const intake = page.waitForRequest((request) => request.url().endsWith('/api/intake'), { timeout: 60_000 });
    // A photo made large by 10 MB of comment segments, so that reading and cleaning it takes a while.
    const photo = fixture('jpeg');
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0xff, 0xff]), Buffer.alloc(0xffff - 2, 0x20)]);
    const large = Buffer.concat([photo.subarray(0, 2), ...Array.from({ length: 160 }, () => comment), photo.subarray(2)]);
    await page.setInputFiles('#attach-input', [{ name: PHOTO_NAME, mimeType: 'image/jpeg', buffer: large }]);
    await page.click('#send'); // at once: the file is still being read and cleaned
    const body = JSON.parse((await intake).postData() ?? '{}') as { attachments?: string[] };
    expect(body.attachments).toHaveLength(1);
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    await page.context().close();
  });

  it('shows the worker’s file names nowhere on the server or on the wire', () => {
    expect(sent.length).toBeGreaterThan(5);
    const files = filesUnder(server.dataDir);
    for (const secret of [PHOTO_NAME, PDF_NAME, `FILENAME-photo-${run}`, PERSON]) {
      for (const body of sent) expect(body.includes(secret), `${secret} in a request`).toBe(false);
      for (const url of urls) expect(url).not.toContain(secret);
      for (const file of files) {
        const bytes = readFileSync(file);
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `${secret} in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} (UTF-16) in ${file}`).toBe(false);
      }
    }
    expect(server.output()).not.toContain(PHOTO_NAME);
  });
});
