import { beforeEach, describe, expect, it, vi } from 'vitest';
import { certifyKey, encryptPayload, generateKeyPair, splitHeader, toBase64Url } from '../../crypto/index.ts';

const api = vi.hoisted(() => ({ pages: [] as unknown[], posted: [] as unknown[] }));
vi.mock('./api.ts', () => ({
  teamGet: async () => api.pages.shift(),
  teamPost: async (_path: string, body: { items: unknown[] }) => {
    api.posted.push(body);
    return { shared: body.items.length, skipped: 0 };
  },
}));
const trust = vi.hoisted(() => ({ root: '', recoveryKey: '' }));
vi.mock('./keyring.ts', () => ({
  withKey: async () => { throw new Error('signed out'); },
  trustRoot: () => (trust.root ? { root: trust.root, sendTo: [] } : null),
  session: () => ({ teamRecoveryKey: trust.recoveryKey }),
}));
const { shareExistingCases, ShareKeyError } = await import('./share.ts');
const { TrustRefusal } = await import('./trust.ts');

const recovery = await generateKeyPair({ name: 'Recovery', kind: 'team' });
const attackerRecovery = await generateKeyPair({ name: 'Recovery', kind: 'team' });
const uncertifiedMember = await generateKeyPair({ name: 'Member', kind: 'team' });
const member = { ...uncertifiedMember, publicKey: await certifyKey({ publicKey: uncertifiedMember.publicKey, certifier: recovery.privateKey }) };
const server = await generateKeyPair({ name: 'Server', kind: 'team' });
const serverCertified = await certifyKey({ publicKey: server.publicKey, certifier: attackerRecovery.privateKey });
trust.root = recovery.privateKey.fingerprint.toLowerCase();
trust.recoveryKey = recovery.publicKey;
const message = await encryptPayload({ data: new Uint8Array([1, 2, 3]), recipients: [recovery.publicKey] });
const header = toBase64Url(splitHeader(message)!.header);
const page = (recipientPublicKey: string) => ({ recipientPublicKey, items: [{ kind: 'report', id: 'case-0123456789abcdef', header }], next: null, scanned: 1, total: 1 });

describe('giving a member access to earlier cases', () => {
  beforeEach(() => {
    api.pages = [];
    api.posted = [];
  });

  it('re-wraps to the member whose key the browser expects', async () => {
    api.pages = [page(member.publicKey)];
    const done = await shareExistingCases({ investigatorId: 'm', memberFingerprint: member.privateKey.fingerprint.toUpperCase(), recoveryKey: recovery.privateKey, onProgress: () => {} });
    expect(done.shared).toBe(1);
  });

  it('sends nothing when the server names another key to re-wrap the session keys to', async () => {
    api.pages = [page(server.publicKey)];
    await expect(shareExistingCases({ investigatorId: 'm', memberFingerprint: member.privateKey.fingerprint, recoveryKey: recovery.privateKey, onProgress: () => {} }))
      .rejects.toBeInstanceOf(ShareKeyError);
    expect(api.posted).toEqual([]);
  });

  it('sends nothing when the server swaps the member key in both answers, even for a key an attacker recovery key certified', async () => {
    for (const swapped of [server.publicKey, serverCertified]) {
      api.pages = [page(swapped)];
      await expect(shareExistingCases({ investigatorId: 'm', memberFingerprint: server.privateKey.fingerprint, recoveryKey: recovery.privateKey, onProgress: () => {} }))
        .rejects.toBeInstanceOf(TrustRefusal);
    }
    expect(api.posted).toEqual([]);
  });

  it('sends nothing without a root in the key envelope', async () => {
    trust.root = '';
    api.pages = [page(member.publicKey)];
    await expect(shareExistingCases({ investigatorId: 'm', memberFingerprint: member.privateKey.fingerprint, recoveryKey: recovery.privateKey, onProgress: () => {} }))
      .rejects.toMatchObject({ code: 'no-root' });
    expect(api.posted).toEqual([]);
    trust.root = recovery.privateKey.fingerprint.toLowerCase();
  });
});
