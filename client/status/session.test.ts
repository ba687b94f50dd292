import { describe, expect, it, vi } from 'vitest';
import * as realCrypto from '../../crypto/index.ts';
import type { StatusView } from '../../common/api.ts';

// The second fetch of the case (a refresh) is held inside its decryption, so the test can act in between.
const gate = vi.hoisted(() => ({ hold: false, reached: () => {}, release: () => {} }));
const views = vi.hoisted(() => [] as unknown[]);
vi.mock('../lib/api.ts', () => ({ postJson: async () => views.shift() }));
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

const recovery = await realCrypto.generateKeyPair({ name: 'Recovery', kind: 'team' });
const member = await realCrypto.generateKeyPair({ name: 'Member', kind: 'team' });
const server = await realCrypto.generateKeyPair({ name: 'Server', kind: 'team' });
const reporter = await realCrypto.generateKeyPair({ name: 'Ombud reporter', kind: 'reporter' });
const certified = await realCrypto.certifyKey({ publicKey: member.publicKey, certifier: recovery.privateKey });
const token = realCrypto.generateToken();
const secrets = await realCrypto.deriveTokenSecrets(token);
const report = await realCrypto.encryptJson({
  value: { v: 1, lang: 'en', category: 'wages', what: 'unpaid overtime', when: '', where: '', ongoing: 'yes', involved: '', wish: '', contact: '', pins: [recovery.privateKey.fingerprint] },
  recipients: [certified, recovery.publicKey, reporter.publicKey],
});
const wrappedReporterKey = await realCrypto.wrapKey({ key: reporter.privateKey, wrapKey: secrets.wrapKey, purpose: 'reporter' });
const view = (teamKeys: string[]): StatusView => ({
  stage: 'received', receivedDay: '2026-12-01', acknowledgedDay: null, acknowledgeByDay: '2026-12-08', feedbackByDay: '2027-03-01', closedDay: null,
  reporterPublicKey: reporter.publicKey,
  wrappedReporterKey,
  teamKeys, report, messages: [], attachments: [], satisfactionGiven: false,
});

describe('the status page’s follow-up keys', () => {
  it('never hands out keys of a refreshed case before the report’s pins vouched for them', async () => {
    views.push(view([certified, recovery.publicKey]), view([certified, recovery.publicKey, server.publicKey]));
    const { session } = await openSession(token);
    expect(session.recipients()).not.toContain(server.publicKey);

    const reached = new Promise<void>((resolve) => (gate.reached = resolve));
    gate.hold = true;
    const refreshed = session.load();
    await reached; // the refresh is fetched and being decrypted, not yet checked
    expect(() => session.recipients()).not.toThrow();
    expect(session.recipients()).not.toContain(server.publicKey);
    gate.release();
    await refreshed;
    expect(() => session.recipients()).toThrow(expect.objectContaining({ name: 'PinError' }));
    session.close();
  });
});
