/**
 * The voice message on the report form, in a real Chromium whose microphone
 * is a generated WAV file (a 200 Hz voice-like buzz): record, listen, and
 * check what would be sent — disguised by default (its pitch is no longer
 * the speaker's), the real voice only after the warning — and that the
 * microphone's failures are explained without losing what was typed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload } from '../crypto/index.ts';
import { listenTestServer, type ListeningTestServer } from '../server/testing.ts';
import { channelLink } from '../common/channel-link.ts';
import { DISGUISE_RANGE } from '../client/voice/disguise.ts';
import { dominantFrequency } from '../client/voice/fft.ts';
import { decodeWav, encodeWav } from '../client/voice/wav.ts';
import { launchBrowser } from './support/browser.ts';

const VOICE_HZ = 200;
const TYPED = 'The exit door of workshop 3 was locked during the night shift.';

/** A few seconds of a speech-like buzz: 200 Hz with falling harmonics, pulsing like syllables. */
function speechLikeWav(seconds: number, rate = 48_000): Uint8Array {
  const x = new Float32Array(seconds * rate);
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    let v = 0;
    for (let k = 1; k <= 8; k++) v += Math.sin(2 * Math.PI * VOICE_HZ * k * t) / (k * k);
    x[i] = 0.5 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return encodeWav(x, rate);
}

let server: ListeningTestServer;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-voice-'));
  const microphone = join(dir, 'microphone.wav');
  writeFileSync(microphone, speechLikeWav(6));
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${microphone}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * The report form with "what happened" typed in. `readBlobs` turns the page's
 * CSP off so that the test can fetch the preview's blob: URL (the page itself
 * never fetches one); the other pages run under the real CSP.
 */
async function openForm({ readBlobs = false, typed = TYPED } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 }, bypassCSP: readBlobs });
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      document.documentElement.dataset.cspViolation = event.violatedDirective;
    });
  });
  await page.goto(channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]));
  await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
  if (typed) await page.fill('#f-what', typed);
  return page;
}

/** The WAV file the page would send, as the preview plays it. */
async function previewWav(page: Page) {
  const base64 = await page.evaluate(async () => {
    const src = document.querySelector<HTMLAudioElement>('#voice-audio')!.src;
    const bytes = new Uint8Array(await (await fetch(src)).arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  return decodeWav(new Uint8Array(Buffer.from(base64, 'base64')));
}

async function record(page: Page): Promise<void> {
  await page.click('#voice-record');
  await page.waitForSelector('#voice-box[data-state=recording]');
  await expect.poll(() => page.textContent('#voice-time'), { timeout: 15_000 }).toMatch(/^0:0[3-9] of 3:00$/);
  await page.click('#voice-stop');
  await page.waitForSelector('#voice-box[data-state=ready]', { timeout: 60_000 });
}

describe('a voice message on the report form', () => {
  let page: Page;

  it('records and plays back under the page’s content security policy', async () => {
    const strict = await openForm();
    const workers: string[] = [];
    strict.on('worker', (worker) => workers.push(worker.url()));
    await record(strict);
    expect(workers.some((url) => /disguise\.worker/.test(url))).toBe(true); // the disguise ran off the page's thread
    await strict.click('#voice-play');
    await expect.poll(() => strict.evaluate(() => document.querySelector<HTMLAudioElement>('#voice-audio')!.currentTime)).toBeGreaterThan(0);
    expect(await strict.getAttribute('html', 'data-csp-violation')).toBeNull();
    await strict.context().close();
  });

  it('records from the microphone and plays back a disguised voice', async () => {
    page = await openForm({ readBlobs: true });
    await record(page);
    expect(await page.textContent('#voice-disguise-state')).toMatch(/disguised/);
    await page.click('#voice-play');
    // Both at one moment, right after the click: on a loaded machine a short preview can end
    // (and the button turn back to "Listen") before a second look.
    await expect
      .poll(() => page.evaluate(() => ({
        playing: document.querySelector<HTMLAudioElement>('#voice-audio')!.currentTime > 0,
        label: document.querySelector('#voice-play')!.textContent ?? '',
      })))
      .toMatchObject({ playing: true, label: expect.stringContaining('Pause') });

    const { sampleRate, samples } = await previewWav(page);
    expect(sampleRate).toBe(16_000);
    expect(samples.length / sampleRate).toBeGreaterThan(2);
    // the speaker's 200 Hz is gone: deeper by 3–5 semitones, then shifted up by 90–150 Hz
    const heard = dominantFrequency(samples, sampleRate);
    expect(heard).toBeGreaterThan(VOICE_HZ * 2 ** (DISGUISE_RANGE.semitones[0] / 12) + DISGUISE_RANGE.shiftHz[0] - 5);
    expect(heard).toBeLessThan(VOICE_HZ * 2 ** (DISGUISE_RANGE.semitones[1] / 12) + DISGUISE_RANGE.shiftHz[1] + 5);
    expect(Math.abs(heard - VOICE_HZ)).toBeGreaterThan(30);
    expect(await page.inputValue('#f-what')).toBe(TYPED);
  });

  it('sends the real voice only after a warning the worker confirms', async () => {
    await page.click('#voice-disguise-off');
    expect(await page.isVisible('#voice-disguise-warning')).toBe(true);
    expect(await page.textContent('#voice-disguise-warning')).toMatch(/recognise/);
    await page.click('#voice-disguise-keep');
    expect(await page.isVisible('#voice-disguise-warning')).toBe(false);
    expect(await page.textContent('#voice-disguise-state')).toMatch(/disguised/);

    await page.click('#voice-disguise-off');
    await page.click('#voice-disguise-confirm');
    await page.waitForSelector('#voice-box[data-state=ready]');
    expect(await page.textContent('#voice-disguise-state')).toMatch(/REAL voice/);
    const { sampleRate, samples } = await previewWav(page);
    expect(Math.abs(dominantFrequency(samples, sampleRate) - VOICE_HZ)).toBeLessThan(5);

    await page.click('#voice-disguise-on');
    await page.waitForSelector('#voice-box[data-state=ready]');
    expect(await page.textContent('#voice-disguise-state')).toMatch(/disguised/);
    const again = await previewWav(page);
    expect(Math.abs(dominantFrequency(again.samples, again.sampleRate) - VOICE_HZ)).toBeGreaterThan(30);
  });

  it('deletes the recording and can record again', async () => {
    await page.click('#voice-delete');
    await page.waitForSelector('#voice-box[data-state=idle]');
    expect(await page.getAttribute('#voice-audio', 'src')).toBeNull();
    expect(await page.isVisible('#voice-record')).toBe(true);
    expect(await page.textContent('#voice-status')).toMatch(/deleted/);
    expect(await page.inputValue('#f-what')).toBe(TYPED);
    await page.context().close();
  });
});

describe('sending a voice message', () => {
  it('sends only the disguised recording, encrypted to the team, even with nothing typed', async () => {
    const page = await openForm({ typed: '' });
    await record(page);
    await page.waitForSelector('#attach-list li[data-state=done]', { timeout: 60_000 });
    expect(await page.locator('#attach-list li').count()).toBe(1);
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });

    // what the server keeps: one attachment, ciphertext only, that the team's key opens to the disguised WAV
    const [listing] = server.repos.caseLists.listForTeam(server.team.id);
    const attachments = server.repos.uploads.listForCase(listing!.id);
    expect(attachments).toHaveLength(1);
    const stored = server.repos.uploads.body(listing!.id, attachments[0]!.id)!;
    expect(Buffer.from(stored).subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    expect(Buffer.from(stored).includes(Buffer.from('WAVEfmt '))).toBe(false);
    const wav = await decryptPayload({ ciphertext: stored, key: server.team.recovery.privateKey });
    const { sampleRate, samples } = decodeWav(wav);
    expect(sampleRate).toBe(16_000);
    expect(Math.abs(dominantFrequency(samples, sampleRate) - VOICE_HZ)).toBeGreaterThan(30);
    await page.context().close();
  });
});

describe('when the microphone cannot be used', () => {
  const cases = [
    ['refused', 'NotAllowedError', /not allowed/],
    ['missing', 'NotFoundError', /No microphone/],
    ['broken', 'NotReadableError', /did not work/],
  ] as const;

  it.each(cases)('says so when it is %s, and keeps what was typed', async (_label, name, message) => {
    const page = await openForm();
    await page.evaluate((errorName) => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', errorName));
    }, name);
    await page.click('#voice-record');
    await page.waitForSelector('#voice-error:not([hidden])');
    expect(await page.textContent('#voice-error')).toMatch(message);
    expect(await page.textContent('#voice-error')).toMatch(/what you wrote is still here/);
    expect(await page.inputValue('#f-what')).toBe(TYPED);
    expect(await page.getAttribute('#voice-box', 'data-state')).toBe('idle');
    await page.context().close();
  });
});
