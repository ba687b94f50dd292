/**
 * A voice reply from the team, in a real Chromium whose microphone is a
 * generated WAV file: a worker reports through the form and keeps the case
 * number; an investigator records an answer in the workspace and sends it;
 * the worker opens the case on the status page and the answer plays there
 * (the audio element's media events are observed). Then the case bundle is
 * exported and GnuPG, with the investigator's key, decrypts the recording
 * to the same WAV. What travelled was ciphertext only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../common/channel-link.ts';
import { exportArmoredPrivateKey } from '../crypto/index.ts';
import { decodeWav, encodeWav } from '../client/voice/wav.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { tempGpg } from './support/gpg.ts';

const PASSWORD = 'Correct-Horse-Voice-Reply';
const RIFF = Buffer.from('RIFF');

function buzz(seconds: number, rate = 48_000): Uint8Array {
  const x = new Float32Array(seconds * rate);
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    let v = 0;
    for (let k = 1; k <= 6; k++) v += Math.sin(2 * Math.PI * 140 * k * t) / (k * k);
    x[i] = 0.5 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return encodeWav(x, rate);
}

let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let dir: string;
let token = '';
let caseId = '';
let voiceId = '';
const posted: Buffer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-voice-reply-'));
  const microphone = join(dir, 'microphone.wav');
  writeFileSync(microphone, buzz(6));
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') }, team: { name: 'Brand CSR' } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${microphone}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(viewport = { width: 360, height: 740 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport });
  context.on('request', (request) => {
    const body = request.postDataBuffer();
    if (body) posted.push(body);
  });
  return context.newPage();
}

describe('a voice reply from the team', () => {
  it('is recorded in the workspace and sent encrypted', async () => {
    const worker = await newPage();
    await worker.goto(channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]));
    await worker.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await worker.fill('#f-what', 'The fire exit of workshop 2 is locked.');
    await worker.click('#send');
    await worker.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    token = (await worker.textContent('#receipt-token'))!.replace(/\D/g, '');
    expect(token).toMatch(/^\d{20,}$/);
    await worker.context().close();
    caseId = server.repos.caseLists.listForTeam(server.team.id)[0]!.id;

    const page = await newPage({ width: 1280, height: 900 });
    const staged = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/cases\/[^/]+\/voice$/.test(r.url()));
    await page.goto(`${server.url}/team`);
    await page.waitForSelector('#login-form:not([hidden])');
    await page.fill('#login-username', lead.username);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });
    await page.goto(`${server.url}/team#/case/${caseId}`);
    await page.waitForSelector('#case-reply-voice-record', { timeout: 60_000 });

    // Nothing written, nothing recorded: a plain request, nothing sent.
    await page.click('#case-reply-send');
    expect(await page.textContent('#case-reply-error')).toMatch(/record a voice reply/);

    await page.click('#case-reply-voice-record');
    await page.waitForSelector('#case-reply-voice-box[data-state=recording]');
    await expect.poll(() => page.textContent('#case-reply-voice-time'), { timeout: 15_000 }).toMatch(/^0:0[2-9] of 3:00$/);
    await page.click('#case-reply-voice-stop');
    await page.waitForSelector('#case-reply-voice-box[data-state=ready]', { timeout: 60_000 });
    await page.click('#case-reply-send');
    voiceId = ((await (await staged).json()) as { uploadId: string }).uploadId;
    await expect.poll(() => page.textContent('#case-reply-status'), { timeout: 60_000 }).toMatch(/Reply sent/);
    // The recording is gone from the form once sent.
    expect(await page.getAttribute('#case-reply-voice-box', 'data-state')).toBe('idle');
    // In the case thread, the voice reply is listed under the team's message.
    await page.waitForSelector(`#case-thread [data-attachment-id="${voiceId}"]`);
    await page.context().close();

    // No WAV (nor any RIFF chunk) left the browsers: only ciphertext.
    expect(posted.some((body) => body.includes(RIFF))).toBe(false);
  }, 240_000);

  it('plays on the worker’s status page', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', token);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    const open = `#thread button[data-attachment-id="${voiceId}"]`;
    await page.click(open);
    const audio = `#thread li[data-attachment-id="${voiceId}"] audio`;
    await page.waitForSelector(audio, { state: 'attached', timeout: 30_000 });
    const events = await page.$eval(audio, async (element) => {
      const media = element as HTMLAudioElement;
      const seen: string[] = [];
      for (const name of ['loadedmetadata', 'play', 'playing', 'timeupdate', 'ended']) media.addEventListener(name, () => seen.push(name));
      media.muted = true;
      const ended = new Promise((done) => media.addEventListener('ended', done));
      await media.play();
      await Promise.race([ended, new Promise((done) => setTimeout(done, 20_000))]);
      return { seen: [...new Set(seen)], duration: media.duration };
    });
    expect(events.seen).toEqual(expect.arrayContaining(['play', 'playing', 'timeupdate', 'ended']));
    expect(events.duration).toBeGreaterThan(1.5);
    await page.context().close();
  }, 120_000);

  it('decrypts with GnuPG from the case bundle', async () => {
    const admin = await server.login(lead);
    const zip = await admin.get(`/api/cases/${caseId}/export`).buffer(true)
      .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); })
      .expect(200);
    writeFileSync(join(dir, 'bundle.zip'), zip.body as Buffer);
    execFileSync('unzip', ['-q', '-o', 'bundle.zip'], { cwd: dir });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { attachments: { id: string; message: string | null }[] };
    expect(manifest.attachments).toEqual([expect.objectContaining({ id: voiceId, message: expect.any(String) })]);

    const gpg = tempGpg();
    try {
      gpg.importKey(await exportArmoredPrivateKey(lead.keyPair.privateKey));
      const padded = gpg.decrypt(readFileSync(join(dir, 'attachments', `${voiceId}.gpg`)));
      const length = padded.readUInt32BE(0);
      const wav = decodeWav(new Uint8Array(padded.subarray(4, 4 + length)));
      expect(wav.sampleRate).toBe(16_000);
      expect(wav.samples.length / wav.sampleRate).toBeGreaterThan(1.5);
      // The message that names it says, inside its own ciphertext, that it is a voice reply.
      const message = gpg.decrypt(readFileSync(join(dir, 'messages', '001-team.gpg')));
      const content = JSON.parse(message.subarray(4, 4 + message.readUInt32BE(0)).toString('utf8')) as { attachments: { id: string; kind: string }[] };
      expect(content.attachments).toEqual([expect.objectContaining({ id: voiceId, kind: 'voice', type: 'audio/wav' })]);
    } finally {
      gpg.dispose();
    }
  }, 60_000);
});
