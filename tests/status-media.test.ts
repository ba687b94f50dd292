/**
 * A reply with a photo and a voice message, in a real Chromium (whose
 * microphone is a generated WAV file) against the real server: the worker
 * writes on the status page, attaches a JPEG carrying an EXIF GPS position
 * and records a voice message; the thread lists both under the message and
 * the worker can open the photo again. The investigator then sees both
 * files under the message in the case thread and decrypts them in the
 * browser: the picture decodes without its EXIF block (GPS, author), the
 * sound is a WAV file. The file name never reaches the server in plaintext.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../client/voice/wav.ts';
import { launchBrowser } from './support/browser.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';
import { setUpFirstTeam } from './support/first-team.ts';

const run = Date.now().toString(36);
const PHOTO_NAME = `FILENAME-reply-photo-${run}.jpg`;
const REPLY = `Here is the locked exit ${run}`;
const PASSWORD = 'Correct-Horse-media-Battery';
const USERNAME = 'csr.lead';
const PHONE = { width: 360, height: 740 };
const photo = readFileSync(new URL('../client/media/fixtures/located.jpeg', import.meta.url));
/** Written into the fixture by exiftool (artist, XMP creator, IPTC). */
const PERSON = 'Li Wei';

let server: RunningServer;
let browser: Browser;
let dir: string;
let token = '';
const sent: Buffer[] = [];
const urls: string[] = [];

/** A few seconds of a voice-like buzz for the fake microphone. */
function buzz(seconds: number, rate = 48_000): Uint8Array {
  const x = new Float32Array(seconds * rate);
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    let v = 0;
    for (let k = 1; k <= 6; k++) v += Math.sin(2 * Math.PI * 180 * k * t) / (k * k);
    x[i] = 0.5 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return encodeWav(x, rate);
}

async function newPage(viewport = PHONE): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ locale: 'en-GB', viewport, acceptDownloads: true });
  context.on('request', (request) => {
    urls.push(request.url());
    const body = request.postDataBuffer();
    if (body) sent.push(body);
  });
  return context.newPage();
}

function filesUnder(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const child = join(path, name);
    return statSync(child).isDirectory() ? filesUnder(child) : [child];
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-status-media-'));
  const microphone = join(dir, 'microphone.wav');
  writeFileSync(microphone, buzz(6));
  server = await startServer();
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${microphone}`,
  ]);
  const page = await newPage();
  const reportLink = await setUpFirstTeam(page, server, { username: USERNAME, password: PASSWORD });
  await page.context().close();

  const worker = await newPage();
  await worker.goto(reportLink);
  await worker.waitForSelector('#report-form:not([hidden]):not([data-early])');
  await worker.fill('#f-what', 'The fire exit is locked');
  await worker.click('#send');
  await worker.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
  token = (await worker.textContent('#receipt-token'))!.replace(/\s+/g, '');
  await worker.context().close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const replyItems = (page: Page) =>
  page.$$eval('#reply-attach-list li', (lis) => lis.map((li) => [li.querySelector('.attach-name')?.textContent, li.getAttribute('data-state')]));

describe('a reply with a photo and a voice message', () => {
  it('lets the worker send words, a photo and a voice message together, and open the photo again', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', token);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });

    // Nothing written, nothing attached: a plain request, nothing sent.
    await page.click('#reply-send');
    expect(await page.textContent('#reply-error')).toMatch(/write a message, or add a file or a voice message/);

    await page.fill('#reply-text', REPLY);
    expect(await page.isHidden('#reply-error')).toBe(true); // gone as soon as there is something to send
    await page.click('#reply-voice-record');
    await page.waitForSelector('#reply-voice-box[data-state=recording]');
    await expect.poll(() => page.textContent('#reply-voice-time'), { timeout: 15_000 }).toMatch(/^0:0[2-9] of 3:00$/);
    await page.click('#reply-voice-stop');
    await page.waitForSelector('#reply-voice-box[data-state=ready]', { timeout: 60_000 });
    await expect.poll(() => replyItems(page), { timeout: 60_000 }).toHaveLength(1);
    await page.setInputFiles('#reply-attach-input', [{ name: PHOTO_NAME, mimeType: 'image/jpeg', buffer: photo }]);
    await expect.poll(() => replyItems(page), { timeout: 60_000 }).toEqual([['Voice message', 'done'], [PHOTO_NAME, 'done']]);

    await page.click('#reply-send');
    const files = page.locator('#thread li.from-reporter .message-files li');
    await expect.poll(() => files.count(), { timeout: 60_000 }).toBe(2);
    expect(await page.textContent('#thread li.from-reporter')).toContain(REPLY);
    expect(await files.nth(0).textContent()).toContain('🎤 Voice message');
    expect(await files.nth(1).textContent()).toContain(PHOTO_NAME);
    // The reply box is empty again.
    expect(await page.inputValue('#reply-text')).toBe('');
    expect(await page.isHidden('#reply-attach-list')).toBe(true);

    // The worker opens the photo: decrypted on the phone, shown as a picture.
    await files.nth(1).locator('button').click();
    await expect.poll(() => page.$eval('#thread .message-files img', (img) => (img as HTMLImageElement).naturalWidth), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await page.context().close();
  });

  it('lets the investigator decrypt both in the case thread; the photo has no GPS position any more', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await page.goto(`${server.url}/team`);
    await page.waitForSelector('#login-username', { state: 'visible', timeout: 60_000 });
    await page.fill('#login-username', USERNAME);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#inbox-view:not([hidden])');
    await page.click('#case-table tr[data-case-id] a');
    const rows = page.locator('#case-thread li.from-reporter .message-files li');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    expect(await rows.nth(1).textContent()).toContain(`${PHOTO_NAME} · image/jpeg`);
    expect(await rows.nth(0).textContent()).toMatch(/audio\/wav/);
    // The report's own list stays empty: the files belong to the message.
    expect(await page.isHidden('#case-attachments')).toBe(true);

    const open = async (index: number): Promise<Buffer> => {
      const row = rows.nth(index);
      await row.locator('button').first().click();
      const save = row.locator('.attachment-preview button');
      await save.waitFor({ timeout: 60_000 });
      const download = page.waitForEvent('download');
      await save.click();
      return readFileSync((await (await download).path())!);
    };

    const picture = await open(1);
    await expect.poll(() => page.$eval('#case-thread .message-files img', (img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(picture.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(photo.includes('Exif\0\0')).toBe(true);
    expect(picture.includes('Exif\0\0')).toBe(false); // the EXIF block, with its GPS position, is gone
    expect(picture.includes(PERSON)).toBe(false);

    const voice = await open(0);
    expect(voice.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(voice.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(await page.locator('#case-thread .message-files audio').count()).toBe(1);
    await page.context().close();
  });

  it('never lets the file name or the words reach the server in plaintext', () => {
    expect(sent.length).toBeGreaterThan(5);
    const files = filesUnder(server.dataDir);
    for (const secret of [PHOTO_NAME, REPLY, PERSON]) {
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
