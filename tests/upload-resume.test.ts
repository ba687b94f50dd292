/**
 * A dropped upload resumes, in Chromium against the real server, through a
 * proxy that cuts the connection when 30 %, 60 % and 90 % of the file's bytes
 * have reached the server (scripts/cutting-proxy.ts). The page asks what the
 * server holds and sends only the rest, in bounded PATCHes: the PATCH body
 * bytes that reached the server add up to the file's size, plus at most one
 * PATCH for each try the server refused. The report then goes with the file,
 * and the server holds it whole. The same when the connection falls silent
 * instead of being cut: the page gives that try up and continues.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../common/limits.ts';
import { SILENT_TRY_MS } from '../client/media/upload.ts';
import { startCuttingProxy, type CuttingProxy } from '../scripts/cutting-proxy.ts';
import { launchBrowser } from './support/browser.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';
import { setUpFirstTeam } from './support/first-team.ts';

let proxy: CuttingProxy;
let server: RunningServer;
let browser: Browser;
let reportLink = '';
/** Several PATCHes' worth (LIMITS.uploadPatchBytes each). */
const FILE_BYTES = 6 * 1024 * 1024;

/** A WAV file (passed as it is: nothing to strip) of `bytes` random samples. */
function wav(bytes: number): Buffer {
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + bytes, 4);
  head.write('WAVEfmt ', 8, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20); // PCM
  head.writeUInt16LE(1, 22); // mono
  head.writeUInt32LE(16_000, 24);
  head.writeUInt32LE(32_000, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(bytes, 40);
  return Buffer.concat([head, randomBytes(bytes)]);
}

async function newPage(): Promise<Page> {
  return (await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } })).newPage();
}

beforeAll(async () => {
  proxy = await startCuttingProxy({ cutAtPatchFractions: [0.3, 0.6, 0.9] });
  server = await startServer({ OMBUD_PUBLIC_URL: proxy.url });
  proxy.target = Number(new URL(server.url).port);
  browser = await launchBrowser();
  const page = await newPage();
  reportLink = await setUpFirstTeam(page, { ...server, url: proxy.url }, { username: 'csr.lead', password: 'Correct-Horse-resume-Battery' });
  await page.context().close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await proxy?.close();
  if (server) removeDataDir(server);
});

describe('an upload cut at 30 %, 60 % and 90 %', () => {
  it('completes without sending again the bytes the server already had', async () => {
    const page = await newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.fill('#f-what', 'The dormitory has no water');
    await page.setInputFiles('#attach-input', [{ name: 'night-shift.wav', mimeType: 'audio/wav', buffer: wav(FILE_BYTES) }]);
    await page.waitForSelector('#attach-list li[data-state=done]', { timeout: 90_000 });
    expect(proxy.cuts).toBe(3);
    // The file goes in PATCHes of at most LIMITS.uploadPatchBytes, and at least one more after each cut,
    // from where the server stood.
    const pieces = Math.ceil(FILE_BYTES / LIMITS.uploadPatchBytes);
    expect(proxy.patchRequests).toBeGreaterThanOrEqual(pieces + 3);

    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    await page.context().close();

    const db = new Database(join(server.dataDir, 'ombud.db'), { readonly: true, fileMustExist: true });
    try {
      const stored = db.prepare('SELECT size FROM attachments').all() as { size: number }[];
      expect(stored).toHaveLength(1);
      // Every PATCH body byte that reached the server was kept: together they are the file, once, but for
      // tries that did not end in a 2xx. The server takes a PATCH only at the offset it holds, so such a try
      // wastes at most one PATCH's bytes, never the rest of the file; and there are few of them: for each cut,
      // the cut try (whose bytes are kept), the copy of it that Chromium sends again by itself with the old
      // offset (refused: 409), and, on a loaded machine, a copy of that copy (a refusal the server answers
      // while the browser still sends is lost in the connection's reset; Chromium sends the PATCH again).
      const failed = proxy.patchRequests - proxy.answeredPatches;
      expect(failed).toBeLessThanOrEqual(4 * proxy.cuts);
      const wasted = proxy.patchBodyBytes - stored[0]!.size;
      expect(wasted).toBeGreaterThanOrEqual(0);
      expect(wasted).toBeLessThanOrEqual(failed * LIMITS.uploadPatchBytes);
      expect((db.prepare('SELECT count(*) AS n FROM upload_pieces').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('an upload whose connection falls silent half-way', () => {
  // As a phone that loses its signal without a word: no end, no reset, nothing more either way.
  it('gives the silent try up and continues from what the server holds', async () => {
    const before = { patchBytes: proxy.patchBodyBytes, requests: proxy.patchRequests, answered: proxy.answeredPatches };
    proxy.silently = true;
    proxy.armFractions([0.5]);
    const page = await newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])');
    await page.fill('#f-what', 'The canteen closed without notice');
    const bytes = 3 * 1024 * 1024;
    await page.setInputFiles('#attach-input', [{ name: 'canteen.wav', mimeType: 'audio/wav', buffer: wav(bytes) }]);
    // Without the page's watch (client/media/upload.ts SILENT_TRY_MS) the try waits for an answer forever.
    await page.waitForSelector('#attach-list li[data-state=done]', { timeout: SILENT_TRY_MS + 60_000 });
    expect(proxy.silenced).toBe(1);
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 60_000 });
    await page.context().close();

    const db = new Database(join(server.dataDir, 'ombud.db'), { readonly: true, fileMustExist: true });
    try {
      const sizes = (db.prepare('SELECT size FROM attachments').all() as { size: number }[]).map((row) => row.size);
      expect(sizes).toHaveLength(2);
      const stored = Math.min(...sizes); // this file's ciphertext: the smaller of the two
      expect(stored).toBeGreaterThan(bytes);
      // The half that reached the server before the silence was kept: nothing sent again but tries that did not end in a 2xx.
      const wasted = proxy.patchBodyBytes - before.patchBytes - stored;
      expect(wasted).toBeGreaterThanOrEqual(0);
      const failed = proxy.patchRequests - before.requests - (proxy.answeredPatches - before.answered);
      expect(failed).toBeLessThanOrEqual(4);
      expect(wasted).toBeLessThanOrEqual(failed * LIMITS.uploadPatchBytes);
    } finally {
      db.close();
    }
  }, SILENT_TRY_MS + 120_000);
});
