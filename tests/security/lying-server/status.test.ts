/**
 * The lying-server harness on the worker's status page (flows status.*):
 * every follow-up kind — reply, file, voice, retaliation, meeting request,
 * transcript approve and correct, the satisfaction comment — with the
 * server's `/api/status` answer rewritten.
 *
 * The `status` helper's fix (v2 binding, merged from main) makes every test
 * here pass. Measured before it, on the same tests: every reporter-key lie
 * was obeyed (the reply, file, voice, retaliation, meeting request,
 * transcript answers and satisfaction comment went out encrypted to the
 * attacker's key); the team-key lies sent nothing (the pins inside the
 * report) but showed no `data-trust-refusal`; no binding existed to drop.
 * `status.lookup` passed before and after (the token KDF is fixed in the
 * page; the server names no parameters).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { channelLink } from '../../../common/channel-link.ts';
import { REPORT_VERSION } from '../../../common/report.ts';
import { deriveTokenSecrets, encryptJson } from '../../../crypto/index.ts';
import { encodeWav } from '../../../client/voice/wav.ts';
import { listenTestServer, type InvestigatorClient, type ListeningTestServer } from '../../../server/testing.ts';
import { launchBrowser } from '../../support/browser.ts';
import { expectCaught, unlessRefused, lies, lyingTest, makeAttacker, record, tell, type Attacker, type Lie, type Recorder } from './harness.ts';

const PHOTO = readFileSync(resolve('client/media/fixtures/located.jpeg'));
let server: ListeningTestServer;
let browser: Browser;
let attacker: Attacker;
let dir: string;
let lead: InvestigatorClient;
/** An open case (with two transcripts waiting for an answer) and a closed one. */
let openToken = '';
let closedToken = '';

function buzzWav(seconds: number, rate = 48_000): Uint8Array {
  const x = new Float32Array(seconds * rate);
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    x[i] = 0.4 * Math.sin(2 * Math.PI * 200 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return encodeWav(x, rate);
}

async function phone(locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
  return context.newPage();
}

async function report(what: string): Promise<string> {
  const page = await phone();
  await page.goto(channelLink(server.url, server.team.channelSlug, [server.team.recovery.privateKey.fingerprint]));
  await page.waitForSelector('#report-form:not([hidden]):not([data-early])', { timeout: 30_000 });
  await page.fill('#f-what', what);
  await page.click('#send');
  await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
  const token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
  await page.context().close();
  return token;
}

async function caseIdOf(token: string): Promise<string> {
  const { lookupId } = await deriveTokenSecrets(token);
  const found = server.repos.cases.findByLookupHash(server.app.ombud.keys.hmacHex('lookup', lookupId));
  if (!found) throw new Error('no case for the token');
  return found.id;
}

/** The team sends a transcript, as its browser would (encrypted to the case's keys). */
async function sendTranscript(caseId: string, text: string): Promise<void> {
  const detail = (await lead.get(`/api/cases/${caseId}`).expect(200)).body as { teamKeys: string[]; reporterPublicKey: string };
  const body = await encryptJson({ value: { v: REPORT_VERSION, kind: 'transcript', text }, recipients: [...detail.teamKeys, detail.reporterPublicKey] });
  await lead.post(`/api/cases/${caseId}/messages`, { body }).expect(201);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ombud-lying-'));
  const microphone = join(dir, 'microphone.wav');
  writeFileSync(microphone, buzzWav(6));
  mkdirSync('/tmp/shots-lying', { recursive: true });
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') }, team: { name: 'Brand CSR' } });
  [attacker, browser] = await Promise.all([
    makeAttacker(),
    launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${microphone}`]),
  ]);
  lead = await server.login(server.team.admin);
  openToken = await report('Overtime every Sunday, unpaid.');
  closedToken = await report('The canteen water is dirty.');
  const openId = await caseIdOf(openToken);
  await sendTranscript(openId, 'Minutes of our call: you work 70 hours a week');
  await sendTranscript(openId, 'Minutes: your team leader is Mr. A');
  const closedId = await caseIdOf(closedToken);
  await lead.post(`/api/cases/${closedId}/stage`, { stage: 'acknowledged' }).expect(200);
  await lead.post(`/api/cases/${closedId}/stage`, { stage: 'closed', outcome: 'substantiated', reason: 'Filter replaced' }).expect(200);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the status page with `lie` told about every `/api/status` answer. */
async function openLiedTo(lie: Lie, token = openToken, locale = 'en-GB'): Promise<{ page: Page; rec: Recorder }> {
  const page = await phone(locale);
  const rec = record(page);
  await tell(page, rec, '/api/status', lie, 'POST');
  await page.goto(`${server.url}/status`);
  await page.fill('#token-input', token);
  await page.click('#token-open');
  await page.waitForSelector('#case-view:not([hidden]), [data-trust-refusal]:visible', { timeout: 60_000 });
  return { page, rec };
}


const reply = (page: Page) => unlessRefused(page, async () => {
  await page.fill('#reply-text', 'They moved me to the night shift after I reported.', { timeout: 10_000 });
  await page.click('#reply-send', { timeout: 10_000 });
});

describe('the status page, lied to', () => {
  lyingTest('status.reply', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker));
    await reply(page);
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('status.reply', 'keys-replaced', async (flow) => {
    const { page, rec } = await openLiedTo(lies.teamKeysReplaced(attacker), openToken, 'th');
    await reply(page);
    await page.waitForSelector('[data-trust-refusal]:visible, #reply-error:not([hidden])', { timeout: 20_000 }).catch(() => undefined);
    await page.screenshot({ path: '/tmp/shots-lying/status-keys-replaced-th-360.png', fullPage: true });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('status.reply', 'attacker-certified', async (flow) => {
    const { page, rec } = await openLiedTo(lies.teamKeysAttackerCertified(attacker));
    await reply(page);
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('status.reply', 'binding-dropped', async (flow) => {
    const page = await phone();
    const rec = record(page);
    let problem: unknown;
    const drop = lies.bindingDropped('StatusView');
    await tell(page, rec, '/api/status', (view, request) => {
      try {
        return drop(view, request);
      } catch (error) {
        problem = error;
        return undefined;
      }
    }, 'POST');
    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', openToken);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden]), [data-trust-refusal]:visible', { timeout: 60_000 });
    expect(problem, 'the lie could be told').toBeUndefined();
    await reply(page);
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('status.file', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker));
    await unlessRefused(page, async () => {
      await page.setInputFiles('#reply-attach-input', [{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: PHOTO }]);
      await page.waitForSelector('#reply-attach-list li[data-state=done], #reply-attach-list li[data-state=failed], [data-trust-refusal]:visible', { timeout: 60_000 });
      await page.fill('#reply-text', 'A photo of the locked exit.', { timeout: 10_000 });
      await page.click('#reply-send', { timeout: 10_000 });
    });
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('status.file', 'keys-replaced', async (flow) => {
    const { page, rec } = await openLiedTo(lies.teamKeysReplaced(attacker));
    await unlessRefused(page, async () => {
      await page.setInputFiles('#reply-attach-input', [{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: PHOTO }]);
      await page.waitForSelector('#reply-attach-list li[data-state=done], #reply-attach-list li[data-state=failed], [data-trust-refusal]:visible', { timeout: 60_000 });
      await page.click('#reply-send', { timeout: 10_000 });
    });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('status.voice', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker));
    await unlessRefused(page, async () => {
      await page.click('#reply-voice-record', { timeout: 10_000 });
      await page.waitForSelector('#reply-voice-box[data-state=recording]');
      await page.waitForTimeout(3_000);
      await page.click('#reply-voice-stop');
      await page.waitForSelector('#reply-voice-box[data-state=ready]', { timeout: 60_000 });
      await page.click('#reply-send', { timeout: 10_000 });
    });
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  }, 180_000);

  lyingTest('status.retaliation', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker));
    await unlessRefused(page, async () => {
      await page.click('#retaliation-open', { timeout: 10_000 });
      await page.fill('#retaliation-what', 'My supervisor moved me to night shifts');
      await page.fill('#retaliation-when', 'Since Monday');
      await page.click('#retaliation-send');
    });
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('status.retaliation', 'attacker-certified', async (flow) => {
    const { page, rec } = await openLiedTo(lies.teamKeysAttackerCertified(attacker));
    await unlessRefused(page, async () => {
      await page.click('#retaliation-open', { timeout: 10_000 });
      await page.fill('#retaliation-what', 'My supervisor moved me to night shifts');
      await page.click('#retaliation-send');
    });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('status.meeting', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker));
    await unlessRefused(page, async () => {
      await page.click('#meeting-open', { timeout: 10_000 });
      await page.fill('#meeting-preferred', 'Outside the canteen after 18:00');
      await page.click('#meeting-send');
    });
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('status.transcript-approve', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker));
    await unlessRefused(page, async () => {
      await page.locator('#thread li[data-kind=transcript] .transcript-approve').first().click({ timeout: 10_000 });
    });
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('status.transcript-correct', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker));
    await unlessRefused(page, async () => {
      const item = page.locator('#thread li[data-kind=transcript]:has(.transcript-correct)').first();
      await item.locator('.transcript-correct').click({ timeout: 10_000 });
      await item.locator('.transcript-correction').fill('It is Ms. B, not Mr. A');
      await item.locator('.transcript-send-correction').click();
    });
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('status.satisfaction', 'reporter-key', async (flow) => {
    const { page, rec } = await openLiedTo(lies.reporterKey(attacker), closedToken);
    await unlessRefused(page, async () => {
      await page.waitForSelector('#satisfaction-form:not([hidden])', { timeout: 10_000 });
      await page.click('label[for=satisfaction-4]');
      await page.fill('#satisfaction-comment', 'Thank you');
      await page.click('#satisfaction-send');
    });
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('status.lookup', 'kdf-downgrade', async () => {
    // The server names no token KDF: the page derives the look-up with the fixed one (crypto/kdf.ts TOKEN_KDF),
    // whatever KDF parameters any answer it gets carries.
    const page = await phone();
    const rec = record(page);
    await tell(page, rec, /^\/api\//, (answer) => (answer && typeof answer === 'object' && !Array.isArray(answer)
      ? { ...answer, kdf: { algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 } } : undefined));
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/status') posted.push(request.postData() ?? '');
    });
    await page.goto(`${server.url}/status`);
    await page.fill('#token-input', openToken);
    await page.click('#token-open');
    await page.waitForSelector('#case-view:not([hidden])', { timeout: 60_000 });
    const expected = await deriveTokenSecrets(openToken);
    expect(posted.length).toBeGreaterThan(0);
    for (const body of posted) expect(JSON.parse(body)).toEqual({ lookupId: expected.lookupId, verifier: expected.verifier });
    await page.context().close();
  });
});
