import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fromBase64Url, importIndexKey, newIndexKey, openIndexEntry, openSealed, sealForKeys, sealIndexEntry, toBase64Url,
} from '../../crypto/index.ts';
import type { IndexEntries, IndexKeyState } from '../../common/api.ts';
import { CSRF_HEADER } from '../auth/session-gate.ts';
import { createTestServer, json, type InvestigatorClient, type TestInvestigator, type TestServer } from '../testing.ts';

let t: TestServer;
let admin: InvestigatorClient;
let colleague: TestInvestigator;
let other: InvestigatorClient;

beforeEach(async () => {
  t = await createTestServer();
  admin = await t.login(t.team.admin);
  colleague = await t.addInvestigator(t.team);
  other = await t.login(colleague);
});
afterEach(() => t.close());

const put = (client: InvestigatorClient, path: string, body: unknown) =>
  client.agent.put(path).set(json).set(CSRF_HEADER, client.session.csrfToken).send(body as object);
const keyState = async (client: InvestigatorClient) => (await client.get('/api/team/index-key').expect(200)).body as IndexKeyState;

/** Makes the team's index key as a browser would and returns it, imported. */
async function createIndexKey(client: InvestigatorClient) {
  const raw = newIndexKey();
  const { recipientKeys } = await keyState(client);
  const sealed = toBase64Url(await sealForKeys({ data: raw, recipients: recipientKeys }));
  await put(client, '/api/team/index-key', { version: 0, sealed }).expect(200);
  return { raw, key: await importIndexKey(raw) };
}

const entryFor = async (key: CryptoKey, caseId: string, text: string) =>
  ({ version: 1, entry: toBase64Url(await sealIndexEntry({ key, caseId, text })) });

describe('the team index key', () => {
  it('is stored sealed to every investigator and the recovery key, and opens for a colleague', async () => {
    expect(await keyState(admin)).toMatchObject({ key: null, current: false });
    const { raw } = await createIndexKey(admin);
    const state = await keyState(other);
    expect(state).toMatchObject({ key: { version: 1 }, current: true });
    expect(await openSealed({ sealed: fromBase64Url(state.key!.sealed), key: colleague.keyPair.privateKey })).toEqual(raw);
  });

  it('refuses a key the recovery key could not open, and a second first key', async () => {
    const { recipientKeys } = await keyState(admin);
    const partial = toBase64Url(await sealForKeys({ data: newIndexKey(), recipients: recipientKeys.slice(0, -1) }));
    expect((await put(admin, '/api/team/index-key', { version: 0, sealed: partial }).expect(400)).body.error).toBe('wrong_recipients');
    await createIndexKey(admin);
    const again = toBase64Url(await sealForKeys({ data: newIndexKey(), recipients: recipientKeys }));
    expect((await put(other, '/api/team/index-key', { version: 0, sealed: again }).expect(409)).body.error).toBe('conflict');
  });

  it('says when a new colleague joined so that a holder seals it again', async () => {
    const { raw } = await createIndexKey(admin);
    await t.addInvestigator(t.team);
    const state = await keyState(admin);
    expect(state.current).toBe(false);
    const sealed = toBase64Url(await sealForKeys({ data: raw, recipients: state.recipientKeys }));
    await put(admin, '/api/team/index-key', { version: 1, sealed }).expect(200);
    expect((await keyState(admin)).current).toBe(true);
  });
});

describe('index entries', () => {
  it('stores fixed-size ciphertext that the team opens and the server cannot read', async () => {
    const { caseId } = await t.submitReport();
    const { key } = await createIndexKey(admin);
    await put(admin, `/api/cases/${caseId}/index-entry`, await entryFor(key, caseId, 'wages withheld canaryword-heron')).expect(200);
    const listed = (await other.get('/api/cases/index').expect(200)).body as IndexEntries;
    expect(listed.caseIds).toEqual([caseId]);
    expect(await openIndexEntry({ key, caseId, entry: fromBase64Url(listed.entries) })).toBe('wages withheld canaryword-heron');
    const stored = t.db.prepare('SELECT entry FROM case_index_entries').all() as Array<{ entry: Buffer }>;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.entry.includes(Buffer.from('canaryword'))).toBe(false);
  });

  it('refuses plaintext or anything not of the entry size', async () => {
    const { caseId } = await t.submitReport();
    await createIndexKey(admin);
    const plain = toBase64Url(Buffer.from('wages withheld'.padEnd(1052, ' ')).subarray(0, 1000));
    expect((await put(admin, `/api/cases/${caseId}/index-entry`, { version: 1, entry: plain }).expect(400)).body.error).toBe('invalid_request');
  });

  it('refuses entries for another team\'s case and hides them from that team', async () => {
    const { caseId } = await t.submitReport();
    const { key } = await createIndexKey(admin);
    await put(admin, `/api/cases/${caseId}/index-entry`, await entryFor(key, caseId, 'x')).expect(200);
    const stranger = await t.login((await t.addTeam({ name: 'Supplier committee' })).admin);
    expect((await put(stranger, `/api/cases/${caseId}/index-entry`, await entryFor(key, caseId, 'y')).expect(404)).body.error).toBe('case_not_found');
    expect(((await stranger.get('/api/cases/index').expect(200)).body as IndexEntries)).toEqual({ version: null, caseIds: [], entries: '' });
  });

  it('refuses and hides entries of a case the investigator is excluded from', async () => {
    const { caseId } = await t.submitReport();
    const { key } = await createIndexKey(admin);
    await put(admin, `/api/cases/${caseId}/index-entry`, await entryFor(key, caseId, 'x')).expect(200);
    await admin.post(`/api/cases/${caseId}/exclusions`, { investigatorId: colleague.id }).expect(200);
    expect((await put(other, `/api/cases/${caseId}/index-entry`, await entryFor(key, caseId, 'y')).expect(404)).body.error).toBe('case_not_found');
    expect(((await other.get('/api/cases/index').expect(200)).body as IndexEntries)).toMatchObject({ version: 1, caseIds: [], entries: '' });
    expect(((await admin.get('/api/cases/index').expect(200)).body as IndexEntries).caseIds).toEqual([caseId]);
  });
});
