import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { decryptPayload, fromBase64Url, fromUtf8, utf8 } from '../../crypto/index.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (body: unknown) => request(t.app).post('/api/intake').set(json).send(body as object);

describe('POST /api/intake', () => {
  it('stores an encrypted report that the team and the recovery key can read', async () => {
    const draft = await t.draftReport();
    const res = await post(draft.body).expect(201);
    expect(res.body).toEqual({ receivedDay: '2025-03-14', acknowledgeByDay: '2025-03-21' });

    const stored = t.repos.cases.findByLookupHash(t.app.ombud.keys.hmacHex('lookup', draft.credentials.lookupId));
    expect(stored).toBeDefined();
    expect(stored?.stage).toBe('received');
    expect(stored?.lookupHash).not.toContain(draft.credentials.lookupId);
    expect(stored?.verifierHash).not.toBe(draft.credentials.verifier);
    for (const key of [t.team.admin.keyPair.privateKey, t.team.recovery.privateKey, draft.reporterKey.privateKey]) {
      const plain = await decryptPayload({ ciphertext: stored!.report, key });
      expect(fromUtf8(plain)).toContain('test report');
    }
    expect(t.repos.audit.pendingFor({ investigatorId: '-', teamId: null }).map((e) => [e.action, e.day, e.detail])).toEqual([
      ['case.received', '2025-03-14', { channel: t.team.channelSlug, teams: t.team.id }],
    ]);
    // Implied by the case row until the batch (migration 024): no pending row, and nothing but ids in the row.
    expect(t.db.prepare(`SELECT COUNT(*) FROM audit_pending`).pluck().get()).toBe(0);
    expect(t.db.prepare(`SELECT received_event FROM cases WHERE id = ?`).pluck().get(stored!.id)).toBe(
      JSON.stringify({ channel: t.team.channelSlug, teams: t.team.id }),
    );
    t.repos.audit.sealPending('2025-03-15'); // the next day's batch
    expect(t.repos.audit.list().map((e) => [e.action, e.at, e.caseId])).toContainEqual(['case.received', null, stored!.id]);
    expect(t.db.prepare(`SELECT received_event FROM cases WHERE id = ?`).pluck().get(stored!.id)).toBeNull();
  });

  it('refuses a report that is not encrypted', async () => {
    const draft = await t.draftReport();
    const plain = Buffer.from(utf8('{"what":"my supervisor"}')).toString('base64url');
    const res = await post({ ...draft.body, report: plain }).expect(400);
    expect(res.body.error).toBe('not_encrypted');
    expect(t.repos.caseLists.listForTeam(t.team.id)).toEqual([]);
  });

  it('refuses a report not encrypted to the team’s recovery key', async () => {
    const draft = await t.draftReport({
      recipients: (keys) => keys.filter((k) => k !== t.repos.teams.find(t.team.id)?.recoveryPublicKey),
    });
    const res = await post(draft.body).expect(400);
    expect(res.body).toMatchObject({ error: 'wrong_recipients' });
    expect(res.body.message).toMatch(/missing recovery key of team CSR team/);
  });

  it('refuses a report encrypted to an extra key', async () => {
    const other = await t.addTeam({ name: 'Other' });
    const draft = await t.draftReport({ recipients: (keys) => [...keys, other.recovery.publicKey] });
    const res = await post(draft.body).expect(400);
    expect(res.body.error).toBe('wrong_recipients');
    expect(res.body.message).toMatch(/extra recipient [0-9a-f]{16}/);
  });

  it('refuses a report missing the reporter’s own key', async () => {
    const draft = await t.draftReport({ recipients: (keys, own) => keys.filter((k) => k !== own) });
    expect((await post(draft.body).expect(400)).body.error).toBe('wrong_recipients');
  });

  it('refuses a report that leaves out a newly added investigator', async () => {
    const draft = await t.draftReport();
    await t.addInvestigator(t.team);
    expect((await post(draft.body).expect(400)).body.error).toBe('wrong_recipients');
  });

  it('refuses an unknown channel and a team the channel does not offer', async () => {
    const other = await t.addTeam({ name: 'Other' });
    const draft = await t.draftReport();
    expect((await post({ ...draft.body, channel: 'nowhere' }).expect(404)).body.error).toBe('channel_not_found');
    const again = await t.draftReport();
    expect((await post({ ...again.body, teamIds: [other.id] }).expect(400)).body.error).toBe('team_not_offered');
  });

  it('refuses a reporter key that is not a public key', async () => {
    const draft = await t.draftReport();
    const res = await post({ ...draft.body, reporterPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\ngarbage\n' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_public_key');
  });

  it('refuses a second case with the same lookup id', async () => {
    const first = await t.draftReport();
    await post(first.body).expect(201);
    const second = await t.draftReport();
    const res = await post({ ...second.body, lookupId: first.credentials.lookupId }).expect(409);
    expect(res.body.error).toBe('token_collision');
  });

  it('lets a report go to two teams of one channel, encrypted to both', async () => {
    const other = await t.addTeam({ name: 'Committee' });
    t.repos.channels.create({ slug: 'both', name: 'Both', createdDay: '2025-03-01', teamIds: [t.team.id, other.id] });
    const draft = await t.draftReport({ channel: 'both', teamIds: [t.team.id, other.id] });
    await post(draft.body).expect(201);
    const missing = await t.draftReport({ channel: 'both', teamIds: [t.team.id, other.id], recipients: (k) => k.slice(2) });
    expect((await post(missing.body).expect(400)).body.error).toBe('wrong_recipients');
    expect(fromBase64Url(draft.body.report).length).toBeGreaterThan(0);
  });
});
