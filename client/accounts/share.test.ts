import { beforeEach, describe, expect, it, vi } from 'vitest';
import { encryptPayload, generateKeyPair, splitHeader, toBase64Url } from '../../crypto/index.ts';

const api = vi.hoisted(() => ({ pages: [] as unknown[], posted: [] as unknown[] }));
vi.mock('./api.ts', () => ({
  teamGet: async () => api.pages.shift(),
  teamPost: async (_path: string, body: { items: unknown[] }) => {
    api.posted.push(body);
    return { shared: body.items.length, skipped: 0 };
  },
}));
vi.mock('./keyring.ts', () => ({ withKey: async () => { throw new Error('signed out'); } }));
const { shareExistingCases, ShareKeyError } = await import('./share.ts');

const recovery = await generateKeyPair({ name: 'Recovery', kind: 'team' });
const member = await generateKeyPair({ name: 'Member', kind: 'team' });
const server = await generateKeyPair({ name: 'Server', kind: 'team' });
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
});
