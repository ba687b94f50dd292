/**
 * The workspace pins its code, in a real Chromium against the real server
 * serving a signed release (OMBUD_RELEASE_KEY_FILE): after the first
 * sign-in the workspace's service worker serves /team and its files only
 * from its own cache, checked against the signed manifest. Then the server
 * changes team.html (one marker line) and its manifest:
 *
 * - unsigned (no signature file), then signed by another key: the workspace
 *   shows `data-trust-refusal="release-signature"` and keeps running the old
 *   page, though the server now serves the new one;
 * - signed by the release key it was set up with: the workspace takes it.
 *
 * And the worker pages leave no trace: no service worker registers on the
 * report or status page, and the workspace's worker does not control them.
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH, serializeManifest } from '../common/release-manifest.ts';
import { generateReleaseKey, signManifest } from '../crypto/release-signature.ts';
import { hashClientFiles, readClientManifest } from '../server/release/client-files.ts';
import { launchBrowser } from './support/browser.ts';
import { setUpFirstTeam, signIn } from './support/first-team.ts';
import { removeDataDir, startServer, type RunningServer } from './support/server.ts';

const ACCOUNT = { username: 'csr.lead', password: 'Correct-Horse-pinning-Battery' };
const MARKER = '<meta name="ombud-pin-test" content="version-two" />';

let temp: string;
let clientDir: string;
let server: RunningServer;
let browser: Browser;
let release: Awaited<ReturnType<typeof generateReleaseKey>>;
let stranger: Awaited<ReturnType<typeof generateReleaseKey>>;
let team: Page;
let reportLink = '';
let original = '';

/** Rewrites the manifest for the files now on disk; signs it with `key`, or removes the signature. */
async function republish(key: string | undefined): Promise<void> {
  const { manifest } = readClientManifest(clientDir);
  const bytes = Buffer.from(serializeManifest({ ...manifest, files: hashClientFiles(clientDir) }), 'utf8');
  writeFileSync(join(clientDir, MANIFEST_PATH), bytes);
  const signature = join(clientDir, MANIFEST_SIGNATURE_PATH);
  if (key === undefined) unlinkSync(signature);
  else writeFileSync(signature, await signManifest(bytes, key));
}

async function reloadWorkspace(): Promise<void> {
  await team.goto(`${server.url}/team`);
  await team.waitForSelector('#login-form, #inbox-view:not([hidden])');
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'ombud-pinning-'));
  clientDir = join(temp, 'client');
  cpSync(resolve('dist/client'), clientDir, { recursive: true });
  release = await generateReleaseKey('Ombud release (test)');
  stranger = await generateReleaseKey('Not the release key');
  writeFileSync(join(temp, 'release-key.asc'), release.publicKey);
  writeFileSync(join(clientDir, MANIFEST_SIGNATURE_PATH), await signManifest(readFileSync(join(clientDir, MANIFEST_PATH)), release.secretKey));
  original = readFileSync(join(clientDir, 'team.html'), 'utf8');
  server = await startServer({ OMBUD_CLIENT_DIR: clientDir, OMBUD_RELEASE_KEY_FILE: join(temp, 'release-key.asc'), OMBUD_POW_DIFFICULTY: '8' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server);
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('the workspace pins its code', () => {
  it('installs the service worker on the first sign-in, pinned to the release key, scoped to /team', { timeout: 240_000 }, async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    team = await context.newPage();
    reportLink = await setUpFirstTeam(team, server, ACCOUNT);
    await signIn(team, server.url, ACCOUNT);
    // Set-up fetches and hashes every file of the release: give a slow machine time.
    await expect.poll(() => team.evaluate(async () => (await navigator.serviceWorker.getRegistration('/team'))?.active?.state ?? 'none'), { timeout: 150_000, interval: 500 })
      .toBe('activated');
    await reloadWorkspace();
    await team.waitForSelector(`html[data-pinned-release="${release.fingerprint}"]`, { timeout: 90_000 });
    expect(await team.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}/team-sw.js`);
    expect(await team.evaluate(async () => (await navigator.serviceWorker.getRegistration('/team'))?.scope)).toBe(`${server.url}/team`);
    expect(await team.isHidden('#pin-warning')).toBe(true);
    // Nothing outside the manifest is served to the workspace, even if the server has it.
    writeFileSync(join(clientDir, 'extra.js'), 'document.title = "injected";\n');
    expect(await team.evaluate(async () => (await fetch('/extra.js')).status)).toBe(404);
    expect((await fetch(`${server.url}/extra.js`)).status).toBe(200);
    unlinkSync(join(clientDir, 'extra.js'));
  });

  it('refuses an unsigned new version: a plain warning, and the old page keeps running', async () => {
    // A new release: the page and the gzip copy the build writes beside it (server/pages/precompressed.ts).
    const next = original.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    ${MARKER}`);
    writeFileSync(join(clientDir, 'team.html'), next);
    writeFileSync(join(clientDir, 'team.html.gz'), gzipSync(next, { level: 9 }));
    await republish(undefined);
    expect(await (await fetch(`${server.url}/team`)).text()).toContain('version-two');
    await reloadWorkspace();
    await team.waitForSelector('#pin-warning[data-trust-refusal="release-signature"]:not([hidden])', { timeout: 60_000 });
    expect(await team.textContent('#pin-warning')).toMatch(/not signed by the release key/);
    expect(await team.locator('meta[name="ombud-pin-test"]').count()).toBe(0);
  });

  it('refuses a new version signed by another key, the same way', async () => {
    await republish(stranger.secretKey);
    await reloadWorkspace();
    await team.waitForSelector('#pin-warning[data-trust-refusal="release-signature"]:not([hidden])', { timeout: 60_000 });
    expect(await team.getAttribute('#pin-warning', 'title')).toMatch(/not (made|signed) by the release key/);
    expect(await team.locator('meta[name="ombud-pin-test"]').count()).toBe(0);
    expect(await team.evaluate(async () => (await fetch('/team')).text())).not.toContain('version-two');
  });

  it('takes a new version signed by the release key it was set up with', async () => {
    await republish(release.secretKey);
    await reloadWorkspace();
    await team.waitForSelector('#pin-updated:not([hidden])', { timeout: 90_000 });
    await reloadWorkspace();
    expect(await team.locator('meta[name="ombud-pin-test"]').count()).toBe(1);
    await team.waitForSelector(`html[data-pinned-release="${release.fingerprint}"]`);
    expect(await team.isHidden('#pin-warning')).toBe(true);
  });
});

describe('the worker pages leave no trace on a phone', () => {
  it('registers no service worker on the report and status pages, and the workspace’s does not control them', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await phone.newPage();
    await page.goto(reportLink);
    await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 60_000 });
    await page.waitForTimeout(1000);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    await page.goto(`${server.url}/status`);
    await page.waitForSelector('#token-input');
    await page.waitForTimeout(1000);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    await phone.close();

    // In the investigator's own browser, the workspace's worker is there but leaves the worker pages alone.
    const status = await team.context().newPage();
    await status.goto(`${server.url}/status`);
    await status.waitForSelector('#token-input');
    expect(await status.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    await status.close();
  });
});
