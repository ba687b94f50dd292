/**
 * The lying-server harness: real Chromium in front of the real server, with
 * the server's JSON answers rewritten on their way to the page (`page.route`:
 * fetch the real answer, apply a lie, hand the page the result), and a
 * recorder of every request the page makes once a lie was told.
 *
 *   const attacker = await makeAttacker();
 *   const rec = record(page);
 *   await tell(page, rec, '/api/status', lies.reporterKey(attacker));
 *   ... drive the page as a worker would ...
 *   await expectCaught(page, rec, flow, attacker);
 *
 * See README.md beside this file for what a lie is and what the assertions mean.
 */
import type { Page, Request } from 'playwright-core';
import { expect, it } from 'vitest';
import { certifyKey, describePublicKey, fingerprintOf, generateKeyPair, type KeyPair } from '../../../crypto/index.ts';
import { recipientKeyIds } from '../support/recipients.ts';
import { FLOWS, type Flow, type FlowId, type LieId } from './flows.ts';

// ---- the attacker ---------------------------------------------------------------------------

/** What a server under an attacker's control can make: keys of its own, one certified by a recovery key of its own. */
export interface Attacker {
  key: KeyPair;
  recovery: KeyPair;
  /** `key`'s public half certified by `recovery` (what a forged team would list). */
  certifiedKey: string;
  fingerprint: string;
  recoveryFingerprint: string;
  /** Encryption key ids of `key` and `recovery`: nothing may be encrypted to these. */
  keyIds: string[];
}

export async function makeAttacker(name = 'Brand CSR'): Promise<Attacker> {
  // The user ids imitate the genuine team's: a lying server does not label its keys.
  const [key, recovery] = await Promise.all([
    generateKeyPair({ name, kind: 'team' }),
    generateKeyPair({ name: `${name} recovery`, kind: 'team' }),
  ]);
  const certifiedKey = await certifyKey({ publicKey: key.publicKey, certifier: recovery.privateKey });
  const [a, b] = await Promise.all([describePublicKey(key.publicKey), describePublicKey(recovery.publicKey)]);
  return {
    key, recovery, certifiedKey,
    fingerprint: await fingerprintOf(key.publicKey),
    recoveryFingerprint: await fingerprintOf(recovery.publicKey),
    keyIds: [...a.encryptionKeyIds, ...b.encryptionKeyIds].map((id) => id.toLowerCase()),
  };
}

// ---- the recorder ---------------------------------------------------------------------------

export interface Recorded {
  method: string;
  /** Path and query. */
  path: string;
  /** Key ids of the PKESK packets found in the body (raw or base64url inside JSON). */
  recipients: string[];
  /** Made after the first lie was told. */
  afterLie: boolean;
}

export interface Recorder {
  readonly all: Recorded[];
  /** Set by `tell` when a lie reaches the page; requests from then on count. */
  lied: boolean;
  /** POST/PUT/PATCH/DELETE made after the lie whose `METHOD /path` matches `pattern`. */
  writes(pattern: RegExp): string[];
  /** Requests after the lie with a body encrypted to any of `keyIds`. */
  encryptedTo(keyIds: readonly string[]): string[];
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Records every request `page` makes (method, path, PKESK recipients), marking those after the lie. */
export function record(page: Page): Recorder {
  const recorder: Recorder = {
    all: [],
    lied: false,
    writes(pattern) {
      return this.all
        .filter((r) => r.afterLie && WRITE.has(r.method) && pattern.test(`${r.method} ${r.path.split('?')[0]}`))
        .map((r) => `${r.method} ${r.path}`);
    },
    encryptedTo(keyIds) {
      const wanted = new Set(keyIds.map((id) => id.toLowerCase()));
      return this.all
        .filter((r) => r.afterLie && r.recipients.some((id) => wanted.has(id)))
        .map((r) => `${r.method} ${r.path}`);
    },
  };
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/')) return;
    let body: Buffer | null = null;
    try {
      body = request.postDataBuffer();
    } catch {
      body = null;
    }
    recorder.all.push({ method: request.method(), path: url.pathname + url.search, recipients: recipientKeyIds(body), afterLie: recorder.lied });
  });
  return recorder;
}

// ---- telling lies ---------------------------------------------------------------------------

/** Rewrites one JSON answer. Returning `undefined` leaves the answer as it was (the lie did not apply to it). */
export type Lie = (answer: any, request: Request) => unknown | Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * From now on, answers to requests whose path matches `path` (exact string, or a RegExp on the
 * pathname) reach the page rewritten by `lie`. `method` defaults to any. The recorder counts
 * requests from the first rewritten answer on. Returns how many answers were rewritten so far.
 */
export async function tell(page: Page, recorder: Recorder, path: string | RegExp, lie: Lie, method?: string): Promise<() => number> {
  let told = 0;
  const matches = (url: URL) => (typeof path === 'string' ? url.pathname === path : path.test(url.pathname));
  await page.route((url) => matches(url), async (route) => {
    const request = route.request();
    if (method && request.method() !== method.toUpperCase()) return route.fallback();
    const response = await route.fetch();
    const type = response.headers()['content-type'] ?? '';
    if (!response.ok() || !type.includes('json')) return route.fulfill({ response });
    const real: unknown = await response.json();
    const forged = await lie(structuredClone(real), request);
    if (forged === undefined) return route.fulfill({ response });
    told += 1;
    recorder.lied = true;
    await route.fulfill({ response, json: forged });
  });
  return () => told;
}

// ---- the lies ------------------------------------------------------------------------------

/** The KDF parameters a downgrading server names. */
export const WEAK_KDF = { memoryKiB: 8, iterations: 1 } as const;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Fields of each answer the v1 protocol defines; anything else is a binding the v2 fixes added. */
export const V1_FIELDS: Record<'StatusView' | 'Session', readonly string[]> = {
  StatusView: ['stage', 'receivedDay', 'acknowledgedDay', 'acknowledgeByDay', 'feedbackByDay', 'closedDay', 'reporterPublicKey',
    'wrappedReporterKey', 'teamKeys', 'report', 'messages', 'attachments', 'satisfactionGiven'],
  Session: ['csrfToken', 'investigator', 'publicKey', 'wrappedPrivateKey'],
};

export const lies = {
  /** Channel answer: every team's investigator keys replaced by the attacker's (not certified by the genuine recovery key). */
  channelKeysReplaced: (a: Attacker): Lie => (channel: Json) => ({
    ...channel,
    teams: channel.teams.map((team: Json) => ({
      ...team, investigatorKeys: [a.key.publicKey], recipientKeys: [a.key.publicKey, team.recoveryKey],
    })),
  }),
  /** Channel answer: a forged team — the attacker's recovery key certifying the attacker's key. */
  channelAttackerRecovery: (a: Attacker): Lie => (channel: Json) => ({
    ...channel,
    teams: channel.teams.map((team: Json) => ({
      ...team, recoveryKey: a.recovery.publicKey, investigatorKeys: [a.certifiedKey], recipientKeys: [a.certifiedKey, a.recovery.publicKey],
    })),
  }),
  /** Channel answer with two teams: their names swapped, keys genuine. */
  teamNamesSwapped: (): Lie => (channel: Json) => {
    if (channel.teams.length < 2) throw new Error('the team-names lie needs a channel with two teams');
    const [first, second] = channel.teams;
    return { ...channel, teams: [{ ...first, name: second.name }, { ...second, name: first.name }, ...channel.teams.slice(2)] };
  },
  /** StatusView or CaseDetail: the reporter's key is the attacker's. */
  reporterKey: (a: Attacker): Lie => (view: Json) => ({ ...view, reporterPublicKey: a.key.publicKey }),
  /**
   * StatusView or CaseDetail: `teamKeys` are the attacker's, not certified by any genuine recovery key
   * (and, in a v2 StatusView, each team's investigator keys in `teams` too).
   */
  teamKeysReplaced: (a: Attacker): Lie => (view: Json) => ({
    ...view,
    teamKeys: [a.key.publicKey],
    ...(Array.isArray(view.teams) ? { teams: view.teams.map((team: Json) => ({ ...team, investigatorKeys: [a.key.publicKey] })) } : {}),
  }),
  /**
   * StatusView or CaseDetail: the attacker's key certified by the attacker's recovery key, joined to the
   * genuine keys (and, in a v2 StatusView, a team of `teams` forged the same way).
   */
  teamKeysAttackerCertified: (a: Attacker): Lie => (view: Json) => ({
    ...view,
    teamKeys: [...view.teamKeys, a.certifiedKey, a.recovery.publicKey],
    ...(Array.isArray(view.teams)
      ? { teams: view.teams.map((team: Json) => ({ ...team, recoveryKey: a.recovery.publicKey, investigatorKeys: [a.certifiedKey] })) }
      : {}),
  }),
  /** CaseDetail: note keys (notes, risk rationale) with the attacker's certified key added. */
  noteKeysAttackerCertified: (a: Attacker): Lie => (detail: Json) => ({ ...detail, noteKeys: [...detail.noteKeys, a.certifiedKey, a.recovery.publicKey] }),
  /** IndexKeyState: the team "changed" and now includes the attacker's certified key: seal the index key again. */
  indexKeyRecipients: (a: Attacker): Lie => (state: Json) => ({ ...state, current: false, recipientKeys: [...state.recipientKeys, a.certifiedKey] }),
  /** TeamMembers: the member's key is the attacker's, said to be certified, with the attacker's fingerprint (both fields agree). */
  memberKeyCertified: (a: Attacker, memberId: string): Lie => (list: Json) => ({
    ...list,
    members: list.members.map((m: Json) => (m.id === memberId ? { ...m, publicKey: a.certifiedKey, fingerprint: a.fingerprint, certified: true } : m)),
  }),
  /** TeamMembers: the member's key is the attacker's while the fingerprint shown stays the genuine one. */
  memberKeyFingerprintKept: (a: Attacker, memberId: string): Lie => (list: Json) => ({
    ...list,
    members: list.members.map((m: Json) => (m.id === memberId ? { ...m, publicKey: a.key.publicKey } : m)),
  }),
  /** SharePage: the key to re-wrap to is the attacker's. */
  shareRecipient: (a: Attacker, key: 'plain' | 'certified' = 'plain'): Lie => (page: Json) => ({
    ...page, recipientPublicKey: key === 'certified' ? a.certifiedKey : a.key.publicKey,
  }),
  /** Any answer naming KDF parameters (`kdf`): lowered to {memoryKiB: 8, iterations: 1}. */
  kdfDowngrade: (): Lie => (answer: Json) => (answer && typeof answer.kdf === 'object' ? { ...answer, kdf: { ...answer.kdf, ...WEAK_KDF } } : undefined),
  /**
   * An answer's opaque binding (a field the v1 protocol does not define, added by the v2 fix)
   * dropped. On a v1 server there is none: the lie then throws, and the test says so.
   */
  bindingDropped: (shape: keyof typeof V1_FIELDS): Lie => (answer: Json) => {
    const extra = Object.keys(answer).filter((key) => !V1_FIELDS[shape].includes(key));
    if (extra.length === 0) throw new Error(`no binding field in the ${shape} answer: the server speaks v1, nothing binds it yet`);
    const forged = { ...answer };
    for (const key of extra) delete forged[key];
    return forged;
  },
};

// ---- the assertions ------------------------------------------------------------------------

export interface Caught {
  /** `data-trust-refusal` of the visible refusal, or null when none is shown. */
  refusal: string | null;
  /** The flow's writes made after the lie. */
  writes: string[];
  /** Requests after the lie encrypted to the attacker's keys. */
  toAttacker: string[];
}

/** Waits (up to `timeout`) for a visible `[data-trust-refusal]`, then reads what the page did. */
export async function observe(page: Page, recorder: Recorder, flow: Flow, attacker?: Attacker, timeout = 20_000): Promise<Caught & { text: string }> {
  const refusal = page.locator('[data-trust-refusal]:visible').first();
  await refusal.waitFor({ state: 'visible', timeout }).catch(() => undefined);
  // A beat for a request already on its way to be recorded.
  await page.waitForTimeout(500);
  const shown = await refusal.isVisible().catch(() => false);
  return {
    refusal: shown ? await refusal.getAttribute('data-trust-refusal') : null,
    text: shown ? ((await refusal.textContent()) ?? '').trim() : '',
    writes: recorder.writes(flow.writes),
    toAttacker: attacker ? recorder.encryptedTo(attacker.keyIds) : [],
  };
}

/**
 * Runs a person's steps unless the page has already refused (then there is
 * nothing left to click); a step that fails because a refusal appeared
 * meanwhile is no failure of the test.
 */
export async function unlessRefused(page: Page, steps: () => Promise<void>): Promise<void> {
  if (await page.isVisible('[data-trust-refusal]')) return;
  try {
    await steps();
  } catch (error) {
    if (!(await page.isVisible('[data-trust-refusal]'))) throw error;
  }
}

/**
 * The contract (tests/security/lying-server/README.md): the page shows a visible refusal carrying
 * `data-trust-refusal` with words in it, sends none of the flow's writes after the lie, and
 * nothing it sends is encrypted to the attacker. With `ignore: true` the page may instead
 * disregard the lie and carry on (e.g. encrypt to the reporter key unwrapped from the token):
 * then it must not refuse, and nothing may be encrypted to the attacker.
 */
export async function expectCaught(
  page: Page, recorder: Recorder, flow: Flow, attacker?: Attacker,
  opts: { ignore?: boolean | ((caught: Caught) => void | Promise<void>) } = {},
): Promise<Caught> {
  // The lie may still be on its way (a sign-in derives a key first; /recover re-wraps only once the account exists).
  await expect.poll(() => recorder.lied, { timeout: 90_000, interval: 250, message: 'the lie never reached the page: the test drove the wrong answer' }).toBe(true);
  const seen = await observe(page, recorder, flow, attacker, opts.ignore ? 8_000 : 20_000);
  const { text, ...caught } = seen;
  if (opts.ignore && caught.refusal === null) {
    // Disregarding the lie is allowed only if what was sent is what an honest server would have led to.
    expect(caught.toAttacker, `${flow.id}: encrypted to the attacker`).toEqual([]);
    if (typeof opts.ignore === 'function') await opts.ignore(caught);
    return caught;
  }
  expect(caught, `${flow.id}: the lie was not refused as the contract says`).toEqual({
    refusal: expect.stringMatching(/^[a-z][a-z0-9-]*$/), writes: [], toAttacker: [],
  });
  expect(text.length, 'the refusal explains itself in words').toBeGreaterThan(10);
  return caught;
}

// ---- registering tests ---------------------------------------------------------------------

/**
 * A harness test: `it` named after the flow and the lie. The coverage test
 * (coverage.test.ts) reads these calls from the test files to check that
 * every flow and each of its lies is exercised; the names must be literals.
 */
export function lyingTest(flowId: FlowId, lie: LieId, body: (flow: Flow) => Promise<void>, timeout?: number): void {
  const flow: Flow | undefined = FLOWS.find((f) => f.id === flowId);
  if (!flow) throw new Error(`unknown flow ${flowId}`);
  if (!(lie in flow.lies)) throw new Error(`flow ${flowId} does not list the lie ${lie} in flows.ts`);
  const waits = flow.lies[lie];
  it(`${flowId} — ${lie}${waits ? ` (known gap: ${waits})` : ''}`, () => body(flow), timeout);
}
