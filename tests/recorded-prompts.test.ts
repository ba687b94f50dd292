/**
 * A deployment's own recording of a listen prompt, end to end in a real
 * Chromium whose microphone is espeak-ng's voice in a WAV file: the
 * deployment administrator signs in, opens the channels view, picks English
 * and the report form's "attach" heading (shown as workers read it),
 * records it, hears it, saves. Chromium records WebM/Opus: the workspace
 * remuxes it to Ogg Opus and signs (lang, clip, SHA-256) with the
 * administrator's key. The worker's listen control then plays it (media
 * events of the one <audio> element), marked "recorded by your channel",
 * every request to the server's own origin. The refusals say their code in
 * the workspace's words; removing the recording brings the built clip back.
 * The lies (forged signature, unpinned signer, swapped audio) are in
 * tests/security/lying-server/listen.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../common/channel-link.ts';
import { inspectPromptAudio } from '../common/prompt-audio.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { listenTo, mediaLoggingPage } from './support/media-log.ts';

const PASSWORD = 'Correct-Horse-Recorded-Prompt';
const CLIP = 'attach.heading#0';
const BLOCK = '[data-listen="attach.heading attach.add"]';
let server: ListeningTestServer;
let browser: Browser;
let lead: TestInvestigator;
let dir: string;
const foreign: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-recorded-prompt-'));
  const microphone = join(dir, 'microphone.wav');
  writeFileSync(microphone, execFileSync('espeak-ng', ['-v', 'en-gb', '-p', '80', '--stdout', 'Add photos or files. Add photos or files.']));
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') }, team: { name: 'Brand CSR' } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${microphone}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const newPage = (viewport?: { width: number; height: number }) => mediaLoggingPage(browser, new URL(server.url).origin, foreign, viewport);

async function listen(page: Page): Promise<{ sources: string[]; marked: boolean }> {
  await page.goto(channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]));
  const heard = await listenTo(page, BLOCK);
  expect(heard.failed).toBe(false);
  return heard;
}

async function signIn(): Promise<Page> {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(`${server.url}/team`);
  await page.waitForSelector('#login-form:not([hidden])');
  await page.fill('#login-username', lead.username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });
  await page.goto(`${server.url}/team#/channels`);
  await page.waitForSelector('#prompts-section:not([hidden])', { timeout: 30_000 });
  await page.selectOption('#prompts-lang', 'en');
  await page.waitForSelector(`#prompts-clip option[value="${CLIP}"]`, { state: 'attached' });
  await page.selectOption('#prompts-clip', CLIP);
  return page;
}

describe('a deployment’s own recording of a listen prompt', () => {
  it('is recorded in the workspace, signed, and played by the worker’s listen control, marked', async () => {
    const page = await signIn();
    expect(await page.locator('#prompts-clip option:checked').textContent()).toBe('Photos and files (optional)');
    expect(await page.textContent('#prompts-state')).toMatch(/built voice/);
    // Nothing recorded: nothing sent, said plainly.
    await page.click('#prompts-save');
    expect(await page.getAttribute('#prompts-status', 'data-code')).toBe('nothing');
    // A file that is not Ogg/WebM Opus: refused here, in words.
    await page.setInputFiles('#prompts-file', { name: 'voice.wav', mimeType: 'audio/wav', buffer: execFileSync('espeak-ng', ['--stdout', 'hi']) });
    await expect.poll(() => page.getAttribute('#prompts-status', 'data-code')).toBe('prompt_not_audio');
    expect(await page.textContent('#prompts-status')).toMatch(/not a recording that can be used/);

    await page.click('#prompts-record');
    await page.waitForTimeout(2500);
    await page.click('#prompts-stop');
    await page.waitForSelector('#prompts-preview:not([hidden])', { timeout: 30_000 });
    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/prompts/en/'));
    await page.click('#prompts-save');
    expect((await saved).status()).toBe(204);
    await expect.poll(() => page.textContent('#prompts-status')).toMatch(/Saved/);
    expect(await page.textContent('#prompts-state')).toMatch(/Your recording is used/);
    await page.context().close();

    const [stored] = server.repos.prompts.ofLang('en');
    expect(stored).toMatchObject({ clip: CLIP, investigatorId: lead.id });
    const bytes = server.repos.prompts.audio('en', stored!.sha256)!;
    const inspected = inspectPromptAudio(bytes);
    expect(inspected.ok && inspected.durationMs).toBeGreaterThan(1500);

    const worker = await newPage();
    const heard = await listen(worker);
    expect(heard.sources[0]).toMatch(/^blob:/);
    expect(heard.sources[1]).toContain('/assets/prompts/en/');
    expect(heard.marked).toBe(true);
    await worker.context().close();
    expect(foreign).toEqual([]);
  }, 240_000);

  it('removed, the built clip plays again, unmarked', async () => {
    const page = await signIn();
    await page.click('#prompts-remove');
    await expect.poll(() => page.textContent('#prompts-status')).toMatch(/Removed/);
    await page.context().close();
    expect(server.repos.prompts.ofLang('en')).toEqual([]);
    const worker = await newPage();
    const heard = await listen(worker);
    expect(heard.sources.every((src) => src.includes('/assets/prompts/en/'))).toBe(true);
    expect(heard.marked).toBe(false);
    await worker.context().close();
    expect(foreign).toEqual([]);
  }, 240_000);

  it('shows the texts of the language chosen last, even when one chosen before answers after it', async () => {
    const page = await signIn();
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let answered = false;
    await page.route('**/api/prompts/hi', async (route) => {
      await held;
      await route.continue();
      answered = true;
    });
    await page.selectOption('#prompts-lang', 'hi');
    await page.selectOption('#prompts-lang', 'vi');
    await page.waitForSelector(`#prompts-clip[lang="vi"] option[value="${CLIP}"]`, { state: 'attached' });
    const shown = await page.textContent(`#prompts-clip option[value="${CLIP}"]`);
    release();
    await expect.poll(() => answered).toBe(true);
    await page.waitForTimeout(500); // Hindi's texts arrive and are dropped
    // Otherwise a Vietnamese recording would be made reading Hindi words.
    expect(await page.getAttribute('#prompts-clip', 'lang')).toBe('vi');
    expect(await page.textContent(`#prompts-clip option[value="${CLIP}"]`)).toBe(shown);
    await page.context().close();
  }, 120_000);
});
