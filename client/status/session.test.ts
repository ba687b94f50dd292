import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as realCrypto from '../../crypto/index.ts';
import type { StatusView } from '../../common/api.ts';

// The second fetch of the case (a refresh) is held inside its decryption, so the test can act in between.
const gate = vi.hoisted(() => ({ hold: false, reached: () => {}, release: () => {} }));
const views = vi.hoisted(() => [] as unknown[]);
/** Every request the page made: [path, body]. A refused case makes none after the first POST /api/status. */
const posts = vi.hoisted(() => [] as Array<[string, Record<string, unknown>]>);
vi.mock('../lib/api.ts', () => ({
  postJson: async (path: string, body: Record<string, unknown>) => {
    posts.push([path, body]);
    const next = views.shift();
    return typeof next === 'function' ? (next as (b: unknown) => unknown)(body) : next;
  },
}));
vi.mock('../lib/crypto.ts', async (original) => {
  const actual = await original<typeof import('../lib/crypto.ts')>();
  const crypto = await import('../../crypto/index.ts');
  const held = {
    ...crypto,
    async decryptJson(opts: Parameters<typeof crypto.decryptJson>[0]) {
      if (gate.hold) {
        gate.hold = false;
        await new Promise<void>((resolve) => {
          gate.release = resolve;
          gate.reached();
        });
      }
      return crypto.decryptJson(opts);
    },
  };
  return { ...actual, loadCrypto: async () => held };
});
const { openSession } = await import('./session.ts');

const recovery = await realCrypto.generateKeyPair({ kind: 'recovery', teamName: 'Brand CSR' });
const member = await realCrypto.generateKeyPair({ kind: 'investigator' });
const server = await realCrypto.generateKeyPair({ kind: 'investigator' });
const attackerRoot = await realCrypto.generateKeyPair({ kind: 'recovery', teamName: 'Brand CSR' });
const serverReporter = await realCrypto.generateKeyPair({ kind: 'reporter' });
const reporter = await realCrypto.generateKeyPair({ kind: 'reporter' });
const certified = await realCrypto.certifyKey({ publicKey: member.publicKey, certifier: recovery.privateKey });
const attackerCertified = await realCrypto.certifyKey({ publicKey: server.publicKey, certifier: attackerRoot.privateKey });
const serverCertifiedByAttacker = await realCrypto.certifyKey({ publicKey: server.publicKey, certifier: attackerRoot.privateKey });
const token = realCrypto.generateToken();
const secrets = await realCrypto.deriveTokenSecrets(token);
const recoveryFp = await realCrypto.fingerprintOf(recovery.publicKey);
const report = await realCrypto.encryptJson({
  value: { v: 1, lang: 'en', category: 'wages', what: 'unpaid overtime', when: '', where: '', ongoing: 'yes', involved: '', wish: '', contact: '', pins: [recoveryFp] },
  recipients: [certified, recovery.publicKey, reporter.publicKey],
});
const wrappedV2 = await realCrypto.wrapKey({ key: reporter.privateKey, wrapKey: secrets.wrapKey, purpose: 'reporter-v2' });
const wrappedV1 = await realCrypto.wrapKey({ key: reporter.privateKey, wrapKey: secrets.wrapKey, purpose: 'reporter' });
const record = { v: 2 as const, reporterKey: reporter.privateKey.fingerprint.toLowerCase(), teams: [{ id: 'team-aaaaaaaaaaaaaaaa', name: 'Brand CSR', recovery: recoveryFp }] };
const binding = await realCrypto.sealBinding({ record, bindingKey: secrets.bindingKey });
const otherBinding = await realCrypto.sealBinding({ record, bindingKey: (await realCrypto.deriveTokenSecrets(realCrypto.generateToken())).bindingKey });

type Team = StatusView['teams'][number];
const genuine: Team = { id: 'team-aaaaaaaaaaaaaaaa', recoveryKey: recovery.publicKey, investigatorKeys: [certified] };
const view = (over: Partial<StatusView> = {}): StatusView => {
  const teams = over.teams ?? [genuine];
  return {
    stage: 'received', receivedDay: '2026-12-01', acknowledgedDay: null, acknowledgeByDay: '2026-12-08', feedbackByDay: '2027-03-01', closedDay: null,
    reporterPublicKey: reporter.publicKey,
    wrappedReporterKey: wrappedV2,
    teamKeys: teams.flatMap((team) => [...team.investigatorKeys, team.recoveryKey]),
    statusBinding: binding,
    report, messages: [], attachments: [], satisfactionGiven: false,
    ...over,
    teams,
  };
};

beforeEach(() => {
  views.length = 0;
  posts.length = 0;
});

/** Opens the case on a server answering `first`; the refusal code, or 'open' with the session. */
async function open(first: StatusView) {
  views.push(first);
  const { session, state } = await openSession(token);
  return { session, state, code: state.refusal ?? 'open' };
}

describe('the status page encrypts only to keys it can check (protocol v2)', () => {
  it('sends to the checked team keys and the public half of the key the token unwraps', async () => {
    const { session, code } = await open(view());
    expect(code).toBe('open');
    const recipients = session.recipients();
    expect(recipients).toHaveLength(3);
    expect(recipients.slice(0, 2)).toEqual([certified, recovery.publicKey]);
    expect(await realCrypto.fingerprintOf(recipients[2]!)).toBe(reporter.privateKey.fingerprint.toLowerCase());
    session.close();
  });

  it('refuses a reporter key the server swapped, and sends nothing', async () => {
    const { session, code } = await open(view({ reporterPublicKey: serverReporter.publicKey }));
    expect(code).toBe('reporter-key');
    expect(() => session.recipients()).toThrow(expect.objectContaining({ name: 'TrustRefusal', code: 'reporter-key' }));
    await expect(session.sendContent({ v: 1, kind: 'message', text: 'hello' } as never)).rejects.toThrow(/reporter-key/);
    expect(posts.map(([path]) => path)).toEqual(['/api/status']);
  });

  it('refuses a v2 case whose binding was removed, or replaced by one made under another token', async () => {
    expect((await open(view({ statusBinding: null }))).code).toBe('binding');
    expect((await open(view({ statusBinding: otherBinding }))).code).toBe('binding');
    const [body, mac] = binding.split('.') as [string, string];
    const altered = realCrypto.toBase64Url(realCrypto.utf8(realCrypto.fromUtf8(realCrypto.fromBase64Url(body)).replace('Brand CSR', 'Brand CSX')));
    expect((await open(view({ statusBinding: `${altered}.${mac}` }))).code).toBe('binding');
    expect(posts.every(([path]) => path === '/api/status')).toBe(true);
  });

  it('refuses a team key swapped for one certified by an attacker root, an uncertified key, and a team added or left out', async () => {
    expect((await open(view({ teams: [{ ...genuine, recoveryKey: attackerRoot.publicKey, investigatorKeys: [attackerCertified] }] }))).code).toBe('unpinned');
    expect((await open(view({ teams: [{ ...genuine, investigatorKeys: [certified, serverCertifiedByAttacker] }] }))).code).toBe('uncertified');
    expect((await open(view({ teams: [{ ...genuine, investigatorKeys: [server.publicKey] }] }))).code).toBe('uncertified');
    const extra: Team = { id: 'team-bbbbbbbbbbbbbbbb', recoveryKey: attackerRoot.publicKey, investigatorKeys: [attackerCertified] };
    expect((await open(view({ teams: [genuine, extra] }))).code).toBe('unpinned');
    expect((await open(view({ teams: [] }))).code).toBe('unpinned');
    expect(posts.every(([path]) => path === '/api/status')).toBe(true);
  });

  it('never hands out keys of a refreshed case before they were checked', async () => {
    views.push(view(), view({ teams: [{ ...genuine, investigatorKeys: [certified, server.publicKey] }] }));
    const { session } = await openSession(token);
    expect(session.recipients()).not.toContain(server.publicKey);

    const reached = new Promise<void>((resolve) => (gate.reached = resolve));
    gate.hold = true;
    const refreshed = session.load();
    await reached; // the refresh is fetched and being decrypted, not yet checked
    expect(session.recipients()).not.toContain(server.publicKey);
    gate.release();
    expect((await refreshed).refusal).toBe('uncertified');
    expect(() => session.recipients()).toThrow(expect.objectContaining({ name: 'TrustRefusal' }));
    session.close();
  });
});

describe('a case made before protocol v2 (no binding): bound on its first visit', () => {
  it('binds what its report says, wraps the key for v2, and checks later answers against that binding', async () => {
    let sent: Record<string, unknown> | undefined;
    views.push(view({ statusBinding: null, wrappedReporterKey: wrappedV1 }), (body: Record<string, unknown>) => {
      sent = body;
      return view({ statusBinding: body.statusBinding as string, wrappedReporterKey: body.wrappedReporterKey as string });
    });
    const { session, state } = await openSession(token);
    expect(state.refusal).toBeUndefined();
    expect(posts.map(([path]) => path)).toEqual(['/api/status', '/api/status/bind']);
    const bound = await realCrypto.openBinding({ binding: sent!.statusBinding as string, bindingKey: secrets.bindingKey });
    expect(bound).toEqual(record); // the name is the one the recovery key names
    const rewrapped = await realCrypto.unwrapKey({ wrapped: sent!.wrappedReporterKey as string, wrapKey: secrets.wrapKey, purpose: 'reporter-v2' });
    expect(rewrapped.fingerprint).toBe(reporter.privateKey.fingerprint);
    expect(session.recipients()).toHaveLength(3);
    session.close();
  });

  it('refuses, and binds nothing, when the server offers keys its report’s pins do not vouch for', async () => {
    const swapped = { ...genuine, recoveryKey: attackerRoot.publicKey, investigatorKeys: [attackerCertified] };
    expect((await open(view({ statusBinding: null, wrappedReporterKey: wrappedV1, teams: [swapped] }))).code).toBe('unpinned');
    expect((await open(view({ statusBinding: null, wrappedReporterKey: wrappedV1, teams: [{ ...genuine, investigatorKeys: [server.publicKey] }] }))).code).toBe('uncertified');
    expect(posts.map(([path]) => path)).toEqual(['/api/status', '/api/status']);
  });
});
