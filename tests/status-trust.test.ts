/**
 * Protocol v2, in a real Chromium against the
 * real server, with the server's answers rewritten in the browser's network
 * stack as a lying server would send them:
 *
 *  - the report form names each team as its pinned recovery key names it:
 *    swapping the two teams' names in /api/channels/:slug does not swap them
 *    next to the tick boxes;
 *  - the status page refuses (data-trust-refusal) and sends nothing when
 *    /api/status names another reporter key, offers a team key certified by an
 *    attacker's root or by no one, or drops or alters the case's binding;
 *  - a case made before v2 (no binding) is bound on its first visit, and a
 *    later answer without its binding is refused;
 *  - no key the public or a reporter can fetch names a person or tells a
 *    time to the second.
 */
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInfo, IntakeRequest, StatusView } from '../common/api.ts';
import { channelLink } from '../common/channel-link.ts';
import {
  certifyKey, deriveTokenSecrets, encryptJson, fingerprintOf, formatToken, generateKeyPair, generateToken, NEUTRAL_KEY_DATE, wrapKey,
} from '../crypto/index.ts';
import { openpgp } from '../crypto/openpgp.ts';
import { json, listenTestServer, type ListeningTestServer, type TestTeam } from '../server/testing.ts';
import { launchBrowser } from './support/browser.ts';

const PASSWORD = 'correct horse battery staple';
const SLUG = 'plant-9';

let server: ListeningTestServer;
let browser: Browser;
let committee: TestTeam;
let link = '';
let token = '';
const contexts: BrowserContext[] = [];

// The attacker: a root of its own, a key it certified, a reporter key of its own.
const attackerRoot = await generateKeyPair({ kind: 'recovery', teamName: 'Brand CSR' });
const attackerKey = await generateKeyPair({ kind: 'investigator' });
const attackerCertified = await certifyKey({ publicKey: attackerKey.publicKey, certifier: attackerRoot.privateKey });
const attackerReporter = await generateKeyPair({ kind: 'reporter' });

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return page;
}

/** Every request that writes (POST/PUT/PATCH/DELETE), by path, in order. */
function writes(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (req) => {
    if (req.method() !== 'GET') seen.push(new URL(req.url()).pathname);
  });
  return seen;
}

/** Rewrites each answer of POST /api/status (only that path) with `lie`. */
async function lieAboutStatus(page: Page, lie: (view: StatusView) => StatusView): Promise<void> {
  await page.route((url) => url.pathname === '/api/status', async (route: Route) => {
    const response = await route.fetch();
    const view = (await response.json()) as StatusView;
    await route.fulfill({ response, json: lie(view) });
  });
}

async function openStatus(page: Page, caseToken = token): Promise<void> {
  await page.goto(`${server.url}/status`);
  await page.fill('#token-input', caseToken);
  await page.click('#token-open');
  await page.waitForSelector('#case-view:not([hidden]), #trust-refusal:not([hidden]), #token-error:not([hidden])', { timeout: 60_000 });
}

beforeAll(async () => {
  server = await listenTestServer({
    config: { clientDir: resolve('dist/client') },
    team: { name: 'Brand CSR', channelSlug: 'brand-hq', admin: { username: 'csr.lead', password: PASSWORD } },
  });
  committee = await server.addTeam({ name: 'Supplier committee', channelSlug: 'committee-own', runsDeployment: false });
  server.repos.channels.create({ slug: SLUG, name: 'Plant 9', createdDay: '2026-12-01', teamIds: [server.team.id, committee.id] });
  const pins = [server.team.id, committee.id].map((id) => server.repos.teams.find(id)!.recoveryFingerprint);
  link = channelLink(server.url, SLUG, pins);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('the report form names teams as their pinned keys do (item 4)', () => {
  it('shows each name next to its own box when the server swaps the two names, and the report goes where the worker ticked', async () => {
    const page = await newPage();
    await page.route((url) => url.pathname === `/api/channels/${SLUG}`, async (route) => {
      const response = await route.fetch();
      const channel = (await response.json()) as ChannelInfo;
      const [a, b] = channel.teams as [ChannelInfo['teams'][number], ChannelInfo['teams'][number]];
      await route.fulfill({ response, json: { ...channel, teams: [{ ...a, name: b.name }, { ...b, name: a.name }] } });
    });
    await page.goto(link);
    await page.waitForSelector('#team-choice:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent(`label[for="team-${server.team.id}"] .team-name`)).toBe('Brand CSR');
    expect(await page.textContent(`label[for="team-${committee.id}"] .team-name`)).toBe('Supplier committee');
    await page.uncheck(`#team-${committee.id}`);
    expect(await page.textContent('#report-teams')).toBe('Who can read it: Brand CSR');
    await page.check(`#team-${committee.id}`);
    await page.fill('#f-what', 'The fire exit is locked at night');
    await page.click('#send');
    await page.waitForSelector('#receipt:not([hidden])', { timeout: 90_000 });
    token = (await page.textContent('#receipt-token'))!.replace(/\s+/g, '');
    const caseId = server.repos.caseLists.listForTeam(committee.id).find((c) => c.channelSlug === SLUG)!.id;
    expect(server.repos.cases.teamIdsOf(caseId).sort()).toEqual([server.team.id, committee.id].sort());
    // The form sent a binding; the server holds it opaque.
    expect(server.repos.cases.find(caseId)!.statusBinding).toMatch(/^[\w-]+\.[\w-]{43}$/);
  });
});

describe('the status page refuses a lying server and sends nothing (items 1 and 2)', () => {
  it('opens the case when the server tells the truth', async () => {
    const page = await newPage();
    await openStatus(page);
    expect(await page.isVisible('#case-view')).toBe(true);
    expect(await page.isVisible('#trust-refusal')).toBe(false);
    // Who reads it: the names the form showed, from the token-authenticated binding.
    expect(await page.textContent('#status-readers')).toBe('Who can read it: Brand CSR, Supplier committee');
  });

  const lies: Array<[string, string, (view: StatusView) => StatusView]> = [
    ['names another reporter key', 'reporter-key', (view) => ({ ...view, reporterPublicKey: attackerReporter.publicKey })],
    ['swaps a team for keys certified by an attacker root', 'unpinned', (view) => ({
      ...view,
      teams: view.teams.map((team, i) => (i === 0 ? { ...team, recoveryKey: attackerRoot.publicKey, investigatorKeys: [attackerCertified] } : team)),
    })],
    ['adds a key the team’s recovery key never certified', 'uncertified', (view) => ({
      ...view,
      teams: view.teams.map((team, i) => (i === 0 ? { ...team, investigatorKeys: [...team.investigatorKeys, attackerCertified] } : team)),
    })],
    ['leaves a team out', 'unpinned', (view) => ({ ...view, teams: view.teams.slice(1) })],
    ['removes the binding', 'binding', (view) => ({ ...view, statusBinding: null })],
    ['alters the binding', 'binding', (view) => {
      const [body, mac] = view.statusBinding!.split('.') as [string, string];
      const record = Buffer.from(body, 'base64url').toString('utf8').replace('Supplier committee', 'Brand CSR');
      return { ...view, statusBinding: `${Buffer.from(record).toString('base64url')}.${mac}` };
    }],
  ];
  for (const [what, code, lie] of lies) {
    it(`refuses when the server ${what} (${code})`, async () => {
      const page = await newPage();
      const sent = writes(page);
      await lieAboutStatus(page, lie);
      await openStatus(page);
      await page.waitForSelector(`[data-trust-refusal="${code}"]:not([hidden])`);
      expect(await page.textContent('#trust-refusal')).toContain('Nothing was sent');
      expect(await page.isVisible('#case-view')).toBe(false);
      expect(await page.isVisible('#reply-form')).toBe(false);
      expect(sent).toEqual(['/api/status']);
    });
  }

  it('says it in the worker’s language', async () => {
    const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 360, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await lieAboutStatus(page, (view) => ({ ...view, reporterPublicKey: attackerReporter.publicKey }));
    await openStatus(page);
    await page.waitForSelector('[data-trust-refusal="reporter-key"]:not([hidden])');
    expect(await page.textContent('#trust-refusal')).toContain('No se envió nada');
  });
});

describe('a case made before protocol v2 (item 2, migration)', () => {
  let oldToken = '';

  beforeAll(async () => {
    // As a v1 form made it: the key wrapped for v1, the pins inside the report, no binding.
    oldToken = generateToken();
    const secrets = await deriveTokenSecrets(oldToken);
    const reporter = await generateKeyPair({ kind: 'reporter' });
    const channel = (await request(server.app).get(`/api/channels/${SLUG}`).expect(200)).body as ChannelInfo;
    const team = channel.teams.find((t) => t.id === server.team.id)!;
    const report = await encryptJson({
      value: { v: 1, lang: 'en', category: 'wages', what: 'an old report', when: '', where: '', ongoing: 'yes', involved: '', wish: '', contact: '', pins: [await fingerprintOf(team.recoveryKey)] },
      recipients: [...team.recipientKeys, reporter.publicKey],
    });
    const draft = await server.draftReport({ channel: SLUG });
    const body: IntakeRequest = {
      ...draft.body,
      teamIds: [team.id],
      lookupId: secrets.lookupId,
      verifier: secrets.verifier,
      reporterPublicKey: reporter.publicKey,
      wrappedReporterKey: await wrapKey({ key: reporter.privateKey, wrapKey: secrets.wrapKey, purpose: 'reporter' }),
      report,
    };
    await request(server.app).post('/api/intake').set(json).send(body).expect(201);
  });

  it('refuses, and binds nothing, when its first visit meets keys its report’s pins do not vouch for', async () => {
    const page = await newPage();
    const sent = writes(page);
    await lieAboutStatus(page, (view) => ({ ...view, teams: view.teams.map((team) => ({ ...team, recoveryKey: attackerRoot.publicKey, investigatorKeys: [attackerCertified] })) }));
    await openStatus(page, oldToken);
    await page.waitForSelector('[data-trust-refusal="unpinned"]:not([hidden])');
    expect(sent).toEqual(['/api/status']);
  });

  it('is bound on its first honest visit, and from then on a missing binding is refused', async () => {
    const page = await newPage();
    const sent = writes(page);
    await openStatus(page, oldToken);
    expect(await page.isVisible('#case-view')).toBe(true);
    expect(sent).toEqual(['/api/status', '/api/status/bind']);

    const again = await newPage();
    const sentAgain = writes(again);
    await lieAboutStatus(again, (view) => ({ ...view, statusBinding: null }));
    await openStatus(again, oldToken);
    await again.waitForSelector('[data-trust-refusal="binding"]:not([hidden])');
    expect(sentAgain).toEqual(['/api/status']);
  });
});

describe('neutral public keys (item 10)', () => {
  /** Every user id and time an armored key shows. */
  async function reveal(armored: string): Promise<{ userIds: string[]; times: number[] }> {
    const key = await openpgp.readKey({ armoredKey: armored });
    const times = [key.getCreationTime(), ...key.subkeys.map((s) => s.getCreationTime())];
    for (const user of key.users) for (const sig of [...user.selfCertifications, ...user.otherCertifications]) times.push(sig.created!);
    for (const sub of key.subkeys) for (const sig of sub.bindingSignatures) times.push(sig.created!);
    return { userIds: key.getUserIDs(), times: times.map((t) => t.getTime()) };
  }

  it('the channel answer and a status view carry no person’s name and no time but the fixed day', async () => {
    const channel = (await request(server.app).get(`/api/channels/${SLUG}`).expect(200)).body as ChannelInfo;
    const keys = channel.teams.flatMap((team) => [team.recoveryKey, ...team.investigatorKeys, ...team.recipientKeys]);
    const secrets = await deriveTokenSecrets(token);
    const view = (await request(server.app).post('/api/status').set(json).send({ lookupId: secrets.lookupId, verifier: secrets.verifier }).expect(200)).body as StatusView;
    keys.push(...view.teamKeys, ...view.teams.flatMap((team) => [team.recoveryKey, ...team.investigatorKeys]), view.reporterPublicKey);
    const people = [server.team.admin, committee.admin].flatMap((admin) => [admin.displayName, admin.username]);
    expect(keys.length).toBeGreaterThan(6);
    for (const armored of keys) {
      const { userIds, times } = await reveal(armored);
      for (const person of people) expect(userIds.join('\n')).not.toContain(person);
      expect(new Set(times)).toEqual(new Set([NEUTRAL_KEY_DATE.getTime()]));
    }
    expect(formatToken(token)).toMatch(/^\d{4}( \d{4}){6}$/);
  });
});
