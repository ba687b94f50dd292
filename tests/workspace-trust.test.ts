/**
 * The workspace trust root (docs/protocol.md "v2: workspace trust root"), in
 * Chromium against the real server whose answers are rewritten in flight
 * (`page.route`), as a lying server would: a member key, a reporter key or a
 * team key swapped for an attacker's — also one certified by an attacker's
 * recovery key, with `certified: true` — and the session's recovery key
 * swapped for the attacker's. Each time the page must show
 * `[data-trust-refusal]` and send no POST/PUT/PATCH/DELETE for that flow.
 * Then the migration of an envelope made before v2 (trust on first use).
 */
import { resolve } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifyKey, generateKeyPair, openEnvelope, type KeyPair } from '../crypto/index.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';
import { signIn as signInAt } from './support/first-team.ts';

const PASSWORD = 'Trust-Root-Password-Long-1';
const CASE_TEXT = 'CANARY-trust The night shift is locked in.';

let server: ListeningTestServer;
let browser: Browser;
let admin: TestInvestigator;
let caseId = '';
let attacker: KeyPair;
let attackerRecovery: KeyPair;
/** The attacker's key with a valid certification by the attacker's own recovery key. */
let attackerCertified = '';
/** An account made before v2 (its key envelope holds no root); made before the case, so it reads it. */
let old: TestInvestigator;

function reportText(what: string): Uint8Array {
  const report = { v: 1, lang: 'en', category: 'working_hours', what, when: 'Every night', where: 'Hall 2', ongoing: 'yes', involved: '', wish: '', contact: '' };
  return new TextEncoder().encode(JSON.stringify(report));
}

async function signIn(who: { username: string }): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInAt(page, server.url, { username: who.username, password: PASSWORD });
  return page;
}

/** Every request that could carry an encryption result out of the page, from now on. */
function writes(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'GET') seen.push(request);
  });
  return seen;
}

/** Rewrites the JSON answer of GET requests whose path matches `pattern`. */
async function rewrite(page: Page, pattern: RegExp, change: (body: Record<string, unknown>) => void): Promise<void> {
  await page.route((url) => pattern.test(url.pathname), async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    const body = (await response.json()) as Record<string, unknown>;
    change(body);
    await route.fulfill({ response, json: body });
  });
}

/** Opens the case afresh (through the inbox, so the case is fetched again) with no refusal left from before. */
async function openCase(page: Page): Promise<void> {
  await page.goto(`${server.url}/team#/`);
  await page.waitForSelector('#inbox-view:not([hidden])');
  await page.goto(`${server.url}/team#/case/${caseId}`);
  await page.waitForSelector('#case-work #case-notes-panel');
  await expect.poll(() => page.textContent('#case-report'), { timeout: 60_000 }).toContain(CASE_TEXT);
  await page.evaluate(() => { for (const el of document.querySelectorAll('[data-trust-refusal]')) el.remove(); });
}

beforeAll(async () => {
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') } });
  admin = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  old = await server.addInvestigator(server.team, { username: 'olga', displayName: 'Olga Old', password: PASSWORD, envelope: 1 });
  caseId = (await server.submitReport({ plaintext: reportText(CASE_TEXT) })).caseId;
  attacker = await generateKeyPair({ name: 'Mallory', kind: 'team' });
  attackerRecovery = await generateKeyPair({ name: 'CSR team recovery', kind: 'team' });
  attackerCertified = await certifyKey({ publicKey: attacker.publicKey, certifier: attackerRecovery.privateKey });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the workspace checks every key against the root in its key envelope', () => {
  it('"Give access to earlier cases": a member key swapped in both answers (certified: true) is refused, nothing is sent', async () => {
    const member = await server.addInvestigator(server.team, { username: 'mia', displayName: 'Mia Member', password: PASSWORD });
    const page = await signIn(admin);
    for (const swapped of [attacker.publicKey, attackerCertified]) {
      await page.unrouteAll();
      await rewrite(page, /^\/api\/team\/members$/, (body) => {
        for (const m of body.members as Array<Record<string, unknown>>) {
          if (m.id === member.id) Object.assign(m, { publicKey: swapped, certified: true });
        }
      });
      await rewrite(page, /^\/api\/team\/members\/[^/]+\/share$/, (body) => { body.recipientPublicKey = swapped; });
      await page.goto(`${server.url}/team#/`);
      await page.waitForSelector('#inbox-view:not([hidden])');
      await page.goto(`${server.url}/team#/members`);
      await page.waitForSelector(`[data-give-access="${member.id}"]`);
      await page.evaluate(() => { for (const el of document.querySelectorAll('[data-trust-refusal]')) el.remove(); });
      const sent = writes(page);
      await page.click(`[data-give-access="${member.id}"]`);
      await page.waitForSelector(`[data-member-status="${member.id}"] [data-trust-refusal="uncertified"]`, { timeout: 60_000 });
      expect(await page.isVisible(`[data-member-status="${member.id}"] [data-trust-refusal="uncertified"]`)).toBe(true);
      expect(sent.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([]);
    }
    await page.context().close();
  });

  it('a reply: a team key or the reporter key swapped for the attacker’s is refused, nothing is sent', async () => {
    const page = await signIn(admin);
    const cases: Array<[string, (body: Record<string, unknown>) => void]> = [
      ['uncertified', (body) => { body.teamKeys = [...(body.teamKeys as string[]), attacker.publicKey]; }],
      ['uncertified', (body) => { body.teamKeys = [...(body.teamKeys as string[]), attackerCertified]; }],
      ['uncertified', (body) => { body.teamKeys = [...(body.teamKeys as string[]), attackerRecovery.publicKey]; }],
      ['reporter-key', (body) => { body.reporterPublicKey = attacker.publicKey; }],
    ];
    for (const [code, change] of cases) {
      await page.unrouteAll();
      await rewrite(page, new RegExp(`^/api/cases/${caseId}$`), change);
      await openCase(page);
      const sent = writes(page);
      await page.fill('#case-reply', 'CANARY-trust-reply We will come to hall 2 tonight.');
      await page.click('#case-reply-send');
      await page.waitForSelector(`#case-reply-error [data-trust-refusal="${code}"]`, { timeout: 60_000 });
      expect(sent.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([]);
    }
    await page.context().close();
  });

  it('a note and the risk rationale: a key certified by an attacker recovery key is refused, nothing is sent', async () => {
    const page = await signIn(admin);
    await rewrite(page, new RegExp(`^/api/cases/${caseId}$`), (body) => { body.noteKeys = [...(body.noteKeys as string[]), attackerCertified]; });
    await openCase(page);
    const sent = writes(page);
    await page.fill('#case-note', 'CANARY-trust-note Check the gate log.');
    await page.click('#case-note-form-submit');
    await page.waitForSelector('#case-note-form-error [data-trust-refusal="uncertified"]', { timeout: 60_000 });
    await page.fill('#case-risk-rationale', 'CANARY-trust-risk The supervisor knows who complained.');
    await page.click('#case-risk-form-submit');
    await page.waitForSelector('#case-risk-form-error [data-trust-refusal="uncertified"]', { timeout: 60_000 });
    expect(sent.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([]);
    await page.context().close();
  });

  it('the session’s recovery key swapped for the attacker’s, with team keys it certified: refused, nothing is sent', async () => {
    const page = await browser.newPage();
    await page.route((url) => url.pathname === '/api/auth/login', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      body.teamRecoveryKey = attackerRecovery.publicKey;
      await route.fulfill({ response, json: body });
    });
    await signInAt(page, server.url, { username: admin.username, password: PASSWORD });
    await rewrite(page, new RegExp(`^/api/cases/${caseId}$`), (body) => {
      body.teamKeys = [attackerRecovery.publicKey, attackerCertified];
    });
    await openCase(page);
    const sent = writes(page);
    await page.fill('#case-reply', 'CANARY-trust-reply2 Hello.');
    await page.click('#case-reply-send');
    await page.waitForSelector('#case-reply-error [data-trust-refusal="uncertified"]', { timeout: 60_000 });
    expect(sent).toEqual([]);
    await page.context().close();
  });

  it('with honest answers, the same reply and note go through (the checks do not refuse the team’s own keys)', async () => {
    const page = await signIn(admin);
    await openCase(page);
    await page.fill('#case-reply', 'CANARY-trust-honest We have your report.');
    await page.click('#case-reply-send');
    await expect.poll(() => page.textContent('#case-reply-status'), { timeout: 60_000 }).toMatch(/sent/i);
    await page.fill('#case-note', 'CANARY-trust-honest-note Fine.');
    await page.click('#case-note-form-submit');
    await expect.poll(() => page.textContent('#case-notes'), { timeout: 60_000 }).toContain('CANARY-trust-honest-note');
    await page.context().close();
  });
});

describe('on a worker’s behalf: the teams’ recovery keys come from the key envelope, not the server', () => {
  it('refuses a channel answer whose recovery key (and the keys it certified) are the attacker’s, nothing is sent', async () => {
    const page = await signIn(admin);
    await rewrite(page, new RegExp(`^/api/channels/${server.team.channelSlug}$`), (body) => {
      for (const team of body.teams as Array<Record<string, unknown>>) {
        Object.assign(team, { recoveryKey: attackerRecovery.publicKey, investigatorKeys: [attackerCertified], recipientKeys: [attackerCertified, attackerRecovery.publicKey] });
      }
    });
    await page.click('#on-behalf-link');
    await page.waitForSelector('#on-behalf-view:not([hidden])');
    await expect.poll(() => page.inputValue('#ob-channel')).toBe(server.team.channelSlug);
    await page.waitForSelector(`#ob-team-${server.team.id}:checked`);
    await page.check('#ob-mode-in_person');
    await page.selectOption('#ob-category', 'living');
    await page.fill('#ob-what', 'CANARY-trust-onbehalf The dormitory has no water.');
    const sent = writes(page);
    await page.click('#ob-submit');
    await page.waitForSelector('#ob-error[data-trust-refusal="unpinned"]:not([hidden])', { timeout: 60_000 });
    expect(sent.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([]);
    await page.context().close();
  });
});

describe('the deployment team learns a later-founded team only by a human confirmation', () => {
  it('seals the fingerprint among the teams it may send to once an administrator confirms it with their password', async () => {
    const supplier = await server.addTeam({ name: 'Supplier committee', runsDeployment: false });
    const fp = supplier.recovery.privateKey.fingerprint.toLowerCase();
    const before = await openEnvelope({ wrapped: server.repos.investigators.find(admin.id)!.wrappedPrivateKey, wrapKey: admin.wrapKey });
    expect(before.trust?.sendTo).not.toContain(fp);
    const page = await signIn(admin);
    await page.goto(`${server.url}/team#/teams`);
    await page.click(`[data-confirm-team="${supplier.id}"]`);
    await page.waitForSelector('#trust-team-dialog[open]');
    expect((await page.textContent('#trust-team-fingerprint'))!.replace(/\s/g, '').toLowerCase()).toBe(fp);
    await page.fill('#trust-team-password', 'not-the-password-at-all');
    await page.click('#trust-team-yes');
    await expect.poll(() => page.textContent('#trust-team-error'), { timeout: 60_000 }).toMatch(/not your password/);
    await page.fill('#trust-team-password', PASSWORD);
    await page.click('#trust-team-yes');
    await page.waitForSelector(`[data-team-trusted="${supplier.id}"]`, { timeout: 60_000 });
    const after = await openEnvelope({ wrapped: server.repos.investigators.find(admin.id)!.wrappedPrivateKey, wrapKey: admin.wrapKey });
    expect(after.trust).toEqual({ root: before.trust!.root, sendTo: [...before.trust!.sendTo, fp].sort() });
    await page.context().close();
  });
});

describe('admission: the fingerprint compared is the one of the key that is certified', () => {
  const grouped = (fp: string) => (fp.toUpperCase().match(/.{4}/g) ?? []).join(' ');

  it('shows the swapped key’s fingerprint (not the server’s field) to the administrator, and the newcomer’s own on their waiting page', async () => {
    const nadia = await server.addInvestigator(server.team, {
      username: 'nadia', displayName: 'Nadia Newcomer', password: PASSWORD, admitted: false, certified: false,
    });
    const real = nadia.keyPair.privateKey.fingerprint;
    const page = await signIn(admin);
    await rewrite(page, /^\/api\/team\/members$/, (body) => {
      for (const m of body.members as Array<Record<string, unknown>>) {
        if (m.id === nadia.id) Object.assign(m, { publicKey: attacker.publicKey, fingerprint: real.toLowerCase() });
      }
    });
    await page.goto(`${server.url}/team#/members`);
    await page.click(`[data-admit="${nadia.id}"]`);
    await expect.poll(() => page.textContent('#admit-member-key')).toContain(grouped(attacker.privateKey.fingerprint));
    expect(await page.textContent('#admit-member-key')).not.toContain(grouped(real));
    await page.context().close();

    // The newcomer's waiting page: from their unlocked private key, whatever public key the server hands back.
    const theirs = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await theirs.route((url) => url.pathname === '/api/auth/login', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      body.publicKey = attacker.publicKey;
      await route.fulfill({ response, json: body });
    });
    await theirs.goto(`${server.url}/team`);
    await theirs.fill('#login-username', 'nadia');
    await theirs.fill('#login-password', PASSWORD);
    await theirs.click('#login-submit');
    await theirs.waitForSelector('#pending-view:not([hidden])', { timeout: 60_000 });
    await expect.poll(() => theirs.textContent('#pending-fingerprint')).toContain(grouped(real));
    await theirs.context().close();
  });
});

describe('an envelope made before v2 (no root): trust on first use, said so', () => {
  it('sends nothing until the fingerprint is confirmed; then seals it into the envelope for good', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/team`);
    await page.fill('#login-username', 'olga');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#trust-confirm-dialog[open]', { timeout: 60_000 });
    const shown = (await page.textContent('#trust-confirm-fingerprint'))!.replace(/\s/g, '').toLowerCase();
    expect(shown).toBe(server.team.recovery.privateKey.fingerprint.toLowerCase());
    await page.click('#trust-confirm-later');
    await page.waitForSelector('#inbox-view:not([hidden])');
    await openCase(page);
    const sent = writes(page);
    await page.fill('#case-note', 'CANARY-trust-old Not yet.');
    await page.click('#case-note-form-submit');
    await page.waitForSelector('#case-note-form-error [data-trust-refusal="no-root"]', { timeout: 60_000 });
    expect(sent).toEqual([]);
    await context.close();

    const again = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await again.goto(`${server.url}/team`);
    await again.fill('#login-username', 'olga');
    await again.fill('#login-password', PASSWORD);
    await again.click('#login-submit');
    await again.waitForSelector('#trust-confirm-dialog[open]', { timeout: 60_000 });
    await again.click('#trust-confirm-yes');
    await again.waitForSelector('#inbox-view:not([hidden])', { timeout: 60_000 });
    const stored = server.repos.investigators.find(old.id)!.wrappedPrivateKey;
    const opened = await openEnvelope({ wrapped: stored, wrapKey: old.wrapKey });
    expect(opened.trust?.root).toBe(server.team.recovery.privateKey.fingerprint.toLowerCase());
    await openCase(again);
    await again.fill('#case-note', 'CANARY-trust-old-note Now.');
    await again.click('#case-note-form-submit');
    await expect.poll(() => again.textContent('#case-notes'), { timeout: 60_000 }).toContain('CANARY-trust-old-note');
    await again.context().close();

    const third = await signIn(old); // no dialog any more: signIn waits for the inbox directly
    expect(await third.isVisible('#trust-confirm-dialog')).toBe(false);
    await third.context().close();
  });
});
