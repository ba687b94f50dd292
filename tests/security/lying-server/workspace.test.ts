/**
 * The lying-server harness in the team's workspace (flows workspace.*):
 * replies, notes, the risk rationale, the inbox index key, a report on a
 * worker's behalf, admission, "Give access to earlier cases", and the
 * workspace's trust root.
 *
 * Waits for the `workspace` helper's fix (a trust root inside the
 * password-wrapped envelope; every key certified by it; `data-trust-refusal`
 * on the refusals). Measured before the fixes: the re-wrap recipient check
 * (`workspace.give-access` — keys-replaced) and the on-behalf form's
 * certification check (`workspace.on-behalf` — keys-replaced,
 * attacker-certified) already send nothing and wait only for the attribute;
 * every other lie here was obeyed — the reply, note, risk rationale, index
 * key and re-wrap went out encrypted to the attacker's key, the admission
 * certified a key other than the one shown, and the on-behalf report went
 * to the team nobody ticked. `workspace.sign-in` — kdf-downgrade sent the
 * login before the `limits` KDF floors; it passes since (crypto/kdf.ts).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { describePublicKey, exportArmoredPrivateKey } from '../../../crypto/index.ts';
import { dayOf } from '../../../server/clock.ts';
import { listenTestServer, type ListeningTestServer, type TestInvestigator, type TestTeam } from '../../../server/testing.ts';
import { launchBrowser } from '../../support/browser.ts';
import { expectCaught, unlessRefused, lies, lyingTest, makeAttacker, record, tell, type Attacker, type Lie, type Recorder } from './harness.ts';

const SHOTS = '/tmp/shots-lying';
const PASSWORD = 'Correct-Horse-Lying-Server';
const TWO = 'two-teams';
let server: ListeningTestServer;
let browser: Browser;
let attacker: Attacker;
let lead: TestInvestigator;
let supplier: TestTeam;
let caseId = '';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await listenTestServer({ config: { clientDir: resolve('dist/client') }, team: { name: 'Brand CSR' } });
  lead = await server.addInvestigator(server.team, { username: 'lead', displayName: 'Lia Lead', role: 'admin', password: PASSWORD });
  supplier = await server.addTeam({ name: 'Supplier committee', runsDeployment: false });
  server.repos.channels.create({ slug: TWO, name: 'Factory Two', createdDay: dayOf(server.clock.now()), teamIds: [server.team.id, supplier.id] });
  caseId = (await server.submitReport()).caseId;
  // A fake microphone (Chromium's beep) for the voice reply.
  [attacker, browser] = await Promise.all([makeAttacker(), launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'])]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A desktop page with the lies told (before sign-in), signed in as the administrator. */
async function signedIn(...told: Array<[path: string | RegExp, lie: Lie, method?: string]>): Promise<{ page: Page; rec: Recorder }> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const rec = record(page);
  for (const [path, lie, method] of told) await tell(page, rec, path, lie, method);
  await page.goto(`${server.url}/team`);
  await page.waitForSelector('#login-form:not([hidden])');
  await page.fill('#login-username', lead.username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#inbox-view:not([hidden]), [data-trust-refusal]:visible', { timeout: 60_000 });
  return { page, rec };
}


async function openCase(page: Page): Promise<void> {
  await page.goto(`${server.url}/team#/case/${caseId}`);
  await page.waitForSelector('#case-work #case-notes-panel, [data-trust-refusal]:visible', { timeout: 60_000 });
}

const reply = (page: Page) => unlessRefused(page, async () => {
  await openCase(page);
  await page.fill('#case-reply', 'Thank you. We will visit the factory on Friday.', { timeout: 10_000 });
  await page.click('#case-reply-send', { timeout: 10_000 });
});

/** Records a second of the fake microphone in the reply form, then sends (the voice alone). */
const voiceReply = (page: Page) => unlessRefused(page, async () => {
  await openCase(page);
  await page.click('#case-reply-voice-record', { timeout: 10_000 });
  await page.waitForSelector('#case-reply-voice-box[data-state=recording]', { timeout: 10_000 });
  await page.waitForTimeout(1_200);
  await page.click('#case-reply-voice-stop');
  await page.waitForSelector('#case-reply-voice-box[data-state=ready]', { timeout: 30_000 });
  await page.click('#case-reply-send', { timeout: 10_000 });
});

const detailPath = () => `/api/cases/${caseId}`;

async function openMembers(page: Page, memberId: string): Promise<void> {
  await page.goto(`${server.url}/team#/members`);
  await page.waitForSelector(`#members-list li[data-member-id="${memberId}"], [data-trust-refusal]:visible`, { timeout: 60_000 });
}

async function keyIds(armored: string): Promise<string[]> {
  return (await describePublicKey(armored)).encryptionKeyIds.map((id) => id.toLowerCase());
}

describe('the workspace, lied to', () => {
  lyingTest('workspace.reply', 'reporter-key', async (flow) => {
    const { page, rec } = await signedIn([detailPath(), lies.reporterKey(attacker), 'GET']);
    await reply(page);
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('workspace.reply', 'attacker-certified', async (flow) => {
    const { page, rec } = await signedIn([detailPath(), lies.teamKeysAttackerCertified(attacker), 'GET']);
    await reply(page);
    await page.waitForSelector('[data-trust-refusal]:visible', { timeout: 20_000 }).catch(() => undefined);
    await page.screenshot({ path: `${SHOTS}/workspace-reply-attacker-certified.png`, fullPage: true });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('workspace.voice-reply', 'reporter-key', async (flow) => {
    const { page, rec } = await signedIn([detailPath(), lies.reporterKey(attacker), 'GET']);
    await voiceReply(page);
    await expectCaught(page, rec, flow, attacker, { ignore: true });
    await page.context().close();
  });

  lyingTest('workspace.voice-reply', 'attacker-certified', async (flow) => {
    const { page, rec } = await signedIn([detailPath(), lies.teamKeysAttackerCertified(attacker), 'GET']);
    await voiceReply(page);
    await page.waitForSelector('[data-trust-refusal]:visible', { timeout: 20_000 }).catch(() => undefined);
    await page.screenshot({ path: `${SHOTS}/workspace-voice-reply-attacker-certified.png`, fullPage: true });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('workspace.trust-root', 'binding-dropped', async (flow) => {
    // The server names another trust root (its own recovery key) in the session and drops any binding the
    // v2 envelope added; the workspace must still refuse keys the team's real recovery key never certified.
    const session: Lie = (answer) => {
      if (!answer?.investigator) return undefined;
      const forged = { ...answer, investigator: { ...answer.investigator, teamRecoveryFingerprint: attacker.recoveryFingerprint } };
      for (const key of Object.keys(forged)) if (!['csrfToken', 'investigator', 'publicKey', 'wrappedPrivateKey'].includes(key)) delete forged[key];
      return forged;
    };
    const { page, rec } = await signedIn([/^\/api\/auth\/(login|session)$/, session], [detailPath(), lies.teamKeysAttackerCertified(attacker), 'GET']);
    await reply(page);
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('workspace.note', 'attacker-certified', async (flow) => {
    const { page, rec } = await signedIn([detailPath(), lies.noteKeysAttackerCertified(attacker), 'GET']);
    await unlessRefused(page, async () => {
      await openCase(page);
      await page.fill('#case-note', 'Called the auditor; visit planned.', { timeout: 10_000 });
      await page.click('#case-note-form-submit', { timeout: 10_000 });
    });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('workspace.risk', 'attacker-certified', async (flow) => {
    const { page, rec } = await signedIn([detailPath(), lies.noteKeysAttackerCertified(attacker), 'GET']);
    await unlessRefused(page, async () => {
      await openCase(page);
      await page.selectOption('#case-risk-level', 'high', { timeout: 10_000 });
      await page.fill('#case-risk-rationale', 'The supervisor knows who works night shifts.');
      await page.click('#case-risk-form-submit', { timeout: 10_000 });
    });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('workspace.index-key', 'attacker-certified', async (flow) => {
    const { page, rec } = await signedIn(['/api/team/index-key', lies.indexKeyRecipients(attacker), 'GET']);
    await unlessRefused(page, () => openCase(page)); // opening a case indexes it: the index key is loaded, and sealed again if "the team changed"
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  async function onBehalf(page: Page, slug: string, tick?: string): Promise<void> {
    await unlessRefused(page, async () => {
      await page.click('#on-behalf-link', { timeout: 10_000 });
      await page.waitForSelector('#on-behalf-view:not([hidden])');
      await page.fill('#ob-channel', slug);
      await page.dispatchEvent('#ob-channel', 'change');
      // The teams of the channel typed, not of the one the form suggested and loaded first.
      await page.waitForSelector(`#ob-teams[data-channel="${slug}"] input[type=checkbox], [data-trust-refusal]:visible`, { timeout: 30_000 });
      if (tick) {
        for (const label of await page.locator('#ob-teams label').all()) {
          const box = label.locator('input');
          if ((await box.isChecked()) !== ((await label.textContent())?.trim() === tick)) await box.click();
        }
      }
      await page.check('#ob-mode-in_person');
      await page.fill('#ob-what', 'Told us at the gate: the dormitory has no water.');
      await page.click('#ob-submit', { timeout: 10_000 });
    });
  }

  lyingTest('workspace.on-behalf', 'keys-replaced', async (flow) => {
    const { page, rec } = await signedIn([`/api/channels/${server.team.channelSlug}`, lies.channelKeysReplaced(attacker)]);
    await onBehalf(page, server.team.channelSlug);
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('workspace.on-behalf', 'attacker-certified', async (flow) => {
    const { page, rec } = await signedIn([`/api/channels/${server.team.channelSlug}`, lies.channelAttackerRecovery(attacker)]);
    await onBehalf(page, server.team.channelSlug);
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  });

  lyingTest('workspace.on-behalf', 'team-names-swapped', async (flow) => {
    // The investigator ticks "Supplier committee" only; with the names swapped the report would go to their own team.
    const { page, rec } = await signedIn([`/api/channels/${TWO}`, lies.teamNamesSwapped()]);
    await onBehalf(page, TWO, 'Supplier committee');
    const wanted = await keyIds(supplier.recovery.publicKey);
    const other = await keyIds(server.team.recovery.publicKey);
    await expectCaught(page, rec, flow, undefined, {
      ignore: async () => {
        await page.waitForSelector('#ob-result:not([hidden])', { timeout: 60_000 });
        const intake = rec.all.find((r) => r.method === 'POST' && r.path === '/api/intake');
        expect(intake?.recipients, 'the report must reach the team ticked by name').toEqual(expect.arrayContaining(wanted));
        expect(intake?.recipients.filter((id) => other.includes(id)), 'the report went to a team nobody ticked').toEqual([]);
      },
    });
    await page.context().close();
  });

  lyingTest('workspace.admission', 'fingerprint-swapped', async (flow) => {
    const newcomer = await server.addInvestigator(server.team, { username: 'nadia', displayName: 'Nadia Newcomer', admitted: false, certified: false });
    const { page, rec } = await signedIn(['/api/team/members', lies.memberKeyFingerprintKept(attacker, newcomer.id), 'GET']);
    await unlessRefused(page, async () => {
      await openMembers(page, newcomer.id);
      await page.click(`[data-admit="${newcomer.id}"]`, { timeout: 10_000 });
      await page.waitForSelector('#admit-panel:not([hidden])');
      // The administrator types what the newcomer's own waiting page shows: their genuine key's fingerprint.
      await page.fill('#admit-check', newcomer.keyPair.privateKey.fingerprint.slice(-16));
      await page.fill('#admit-paste', await exportArmoredPrivateKey(server.team.recovery.privateKey));
      await page.click('#admit-submit');
    });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  }, 180_000);

  lyingTest('workspace.give-access', 'keys-replaced', async (flow) => {
    const late = await server.addInvestigator(server.team, { username: 'lars', displayName: 'Lars Late' });
    const { page, rec } = await signedIn([`/api/team/members/${late.id}/share`, lies.shareRecipient(attacker), 'GET']);
    await unlessRefused(page, async () => {
      await openMembers(page, late.id);
      await page.click(`[data-give-access="${late.id}"]`, { timeout: 10_000 });
    });
    // Today's refusal words (client/accounts/errors.ts, problem.wrongMemberKey), or the contract's refusal once it carries the attribute.
    await page.waitForSelector(`[data-trust-refusal]:visible, [data-member-status="${late.id}"]:has-text("nothing was shared")`, { timeout: 90_000 })
      .catch(() => undefined);
    await page.screenshot({ path: `${SHOTS}/workspace-give-access-refused.png`, fullPage: true });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  }, 180_000);

  lyingTest('workspace.give-access', 'certified-flag', async (flow) => {
    // Both answers agree on the attacker's key, said to be certified.
    const late = await server.addInvestigator(server.team, { username: 'lena', displayName: 'Lena Late' });
    const { page, rec } = await signedIn(
      ['/api/team/members', lies.memberKeyCertified(attacker, late.id), 'GET'],
      [`/api/team/members/${late.id}/share`, lies.shareRecipient(attacker, 'certified'), 'GET'],
    );
    await unlessRefused(page, async () => {
      await openMembers(page, late.id);
      await page.click(`[data-give-access="${late.id}"]`, { timeout: 10_000 });
    });
    await expectCaught(page, rec, flow, attacker);
    await page.context().close();
  }, 180_000);

  lyingTest('workspace.sign-in', 'kdf-downgrade', async (flow) => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const rec = record(page);
    await tell(page, rec, '/api/auth/params', lies.kdfDowngrade(), 'POST');
    await page.goto(`${server.url}/team`);
    await page.waitForSelector('#login-form:not([hidden])');
    await page.fill('#login-username', lead.username);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await expectCaught(page, rec, flow);
    await context.close();
  });
});
