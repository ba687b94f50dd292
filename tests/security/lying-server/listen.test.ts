/**
 * The lying-server harness on recorded prompts (flow report.listen-recorded).
 * A deployment administrator saved a genuine, signed recording of the report
 * form's "attach" heading. An honest server: the worker's listen control
 * plays it first (from memory, after the checks) and marks the block
 * "recorded by your channel". A lying server — a forged signature, a signer
 * no pinned recovery key certified, other bytes served for the listed hash —
 * gets the built clip played, no mark, no refusal (nothing was at stake but
 * a sound) and no write.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLink } from '../../../common/channel-link.ts';
import { PROMPT_SIGNATURE_HEADER, type RecordedPrompts } from '../../../common/api.ts';
import { signPrompt } from '../../../crypto/index.ts';
import { CSRF_HEADER } from '../../../server/auth/session-gate.ts';
import { listenTestServer, type ListeningTestServer } from '../../../server/testing.ts';
import { launchBrowser } from '../../support/browser.ts';
import { listenTo, mediaLoggingPage } from '../../support/media-log.ts';
import { expectCaught, lyingTest, makeAttacker, record, tell, type Attacker, type Recorder } from './harness.ts';

const CLIP = 'attach.heading#0';
const BLOCK = '[data-listen="attach.heading attach.add"]';
let server: ListeningTestServer;
let browser: Browser;
let attacker: Attacker;
let genuine: Buffer;
let other: Buffer;
const foreign: string[] = [];

const opus = (text: string) =>
  execFileSync('opusenc', ['--quiet', '--serial', '9', '-', '-'], { input: execFileSync('espeak-ng', ['-v', 'en-gb', '-p', '80', '--stdout', text]) });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') }, team: { name: 'Brand CSR' } });
  [attacker, browser] = await Promise.all([makeAttacker(), launchBrowser(['--autoplay-policy=no-user-gesture-required'])]);
  genuine = opus('Add photos or files, recorded by the brand');
  other = opus('Your name is required');
  const admin = await server.login(server.team.admin);
  const signature = await signPrompt({ lang: 'en', clip: CLIP, sha256: sha(genuine), key: server.team.admin.keyPair.privateKey });
  await admin.agent.put(`/api/prompts/en/${encodeURIComponent(CLIP)}`).set('Content-Type', 'application/octet-stream')
    .set(CSRF_HEADER, admin.session.csrfToken).set(PROMPT_SIGNATURE_HEADER, Buffer.from(signature).toString('base64')).send(genuine).expect(204);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const phone = () => mediaLoggingPage(browser, new URL(server.url).origin, foreign);
const link = () => channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]);
/** Presses the attach block's control; resolves with what played, in order, once it stopped, and whether the block was marked. */
const listen = (page: Page) => listenTo(page, BLOCK);

async function builtOnly(page: Page, rec: Recorder, flow: Parameters<typeof expectCaught>[2]): Promise<void> {
  const heard = await listen(page);
  await expectCaught(page, rec, flow, attacker, {
    ignore: () => {
      expect(heard.failed).toBe(false);
      expect(heard.marked, 'a recording the pins do not vouch for is never marked as the channel’s').toBe(false);
      expect(heard.sources).toHaveLength(2);
      for (const src of heard.sources) expect(src).toMatch(new RegExp(`^${new URL(server.url).origin}/assets/prompts/en/`));
    },
  });
  expect(foreign).toEqual([]);
  await page.context().close();
}

describe('recorded prompts, honest and lied to', () => {
  it('an honest server: the signed recording plays first, from memory, and the block says it was recorded by the channel', async () => {
    const page = await phone();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(link());
    const heard = await listen(page);
    expect(heard.failed).toBe(false);
    expect(heard.sources[0]).toMatch(/^blob:/);
    expect(heard.sources[1]).toMatch(/\/assets\/prompts\/en\//);
    expect(heard.marked).toBe(true);
    expect(await page.textContent('[data-listen-recorded]')).toBe('Recorded by your channel');
    expect(fetched).toContain(`/api/prompt-audio/en/${sha(genuine)}`);
    expect(foreign).toEqual([]);
    await page.context().close();
  });

  lyingTest('report.listen-recorded', 'prompt-forged-signature', async (flow) => {
    const page = await phone();
    const rec = record(page);
    const forged = await signPrompt({ lang: 'en', clip: CLIP, sha256: sha(genuine), key: attacker.key.privateKey });
    await tell(page, rec, '/api/prompts/en', (answer: RecordedPrompts) => ({
      ...answer, recordings: answer.recordings.map((r) => ({ ...r, signature: forged })),
    }));
    await page.goto(link());
    await builtOnly(page, rec, flow);
  });

  lyingTest('report.listen-recorded', 'prompt-unpinned-signer', async (flow) => {
    const page = await phone();
    const rec = record(page);
    const sig = await signPrompt({ lang: 'en', clip: CLIP, sha256: sha(other), key: attacker.key.privateKey });
    await page.route(/\/api\/prompt-audio\//, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: other }));
    await tell(page, rec, '/api/prompts/en', (answer: RecordedPrompts) => ({
      ...answer, recordings: answer.recordings.map((r) => ({ ...r, sha256: sha(other), signature: sig, signerKey: attacker.certifiedKey })),
    }));
    await page.goto(link());
    await builtOnly(page, rec, flow);
  });

  lyingTest('report.listen-recorded', 'prompt-swapped-audio', async (flow) => {
    const page = await phone();
    const rec = record(page);
    await page.route(/\/api\/prompt-audio\//, (route) => {
      rec.lied = true;
      return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: other });
    });
    await page.goto(link());
    await builtOnly(page, rec, flow);
  });

  it('the audio is served by Ombud itself, immutable', async () => {
    const res = await request(server.url).get(`/api/prompt-audio/en/${sha(genuine)}`).expect(200);
    expect(res.headers['cache-control']).toMatch(/immutable/);
  });
});
