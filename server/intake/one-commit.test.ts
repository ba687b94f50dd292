/**
 * One transaction per report: the proof of work is spent inside the case's own
 * transaction (the case's id is made from it), and the checks that kept one
 * solution to one report still hold — under concurrency, for refused reports,
 * across the routes that take a proof of work, and before any key is read.
 * The transaction's commit is shared with the reports that arrive with it
 * (db/group-commit.ts), each answered for itself.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { randomBytes, toBase64Url } from '../../crypto/index.ts';
import { createTestServer, fetchSolvedPow, json, type TestServer } from '../testing.ts';
import { caseIdOfChallenge } from '../reporter/pow-challenge.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (body: unknown) => request(t.app).post('/api/intake').set(json).send(body as object);
const cases = () => t.db.prepare('SELECT COUNT(*) FROM cases').pluck().get() as number;
const freshToken = () => ({ lookupId: toBase64Url(randomBytes(32)), verifier: toBase64Url(randomBytes(32)) });

/** Notes `name:<in a transaction?>` in `calls` each time `target[method]` is called. */
function watch<K extends string>(calls: string[], name: string, target: Record<K, (...a: never[]) => unknown>, method: K): void {
  const original = target[method];
  target[method] = ((...args: never[]) => {
    calls.push(`${name}:${t.db.inTransaction}`);
    return original(...args);
  }) as (typeof target)[K];
}

describe('intake spends one transaction per report', () => {
  it('spends the challenge inside the transaction that stores the case, by the case\'s id and no row of its own', async () => {
    const repos = t.app.ombud.repos;
    const looks: string[] = [];
    watch(looks, 'recorded', repos.pow, 'recorded');
    watch(looks, 'case id taken', repos.cases, 'idTaken');
    watch(looks, 'spend', repos.pow, 'spend');
    const draft = await t.draftReport();
    await post(draft.body).expect(201);
    expect(looks).toEqual(['recorded:true', 'case id taken:true']);
    expect(t.db.prepare('SELECT COUNT(*) FROM used_pow').pluck().get()).toBe(0);
    // The case's id is the keyed hash of the challenge's random part: made by the server alone, of randomId's form.
    const random = draft.body.pow.challenge.split('.')[2]!;
    const ids = t.db.prepare('SELECT id FROM cases').pluck().all() as string[];
    expect(ids).toEqual([caseIdOfChallenge(t.app.ombud.keys, random)]);
    expect(ids[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(ids[0]!, 'base64url').toString('base64url')).toBe(ids[0]);
  });

  it('a challenge an upload ticket spent buys no report, and one a report spent buys no ticket', async () => {
    const ticketFirst = await fetchSolvedPow(t.app);
    await request(t.app).post('/api/uploads/ticket').set(json).send({ pow: ticketFirst }).expect(200);
    const refused = await post((await t.draftReport({ pow: ticketFirst })).body).expect(403);
    expect(refused.body.error).toBe('pow_reused');
    const reportFirst = await t.draftReport();
    await post(reportFirst.body).expect(201);
    const noTicket = await request(t.app).post('/api/uploads/ticket').set(json).send({ pow: reportFirst.body.pow }).expect(403);
    expect(noTicket.body.error).toBe('pow_reused');
    expect(cases()).toBe(1);
  });

  it('one challenge sent at once as 15 reports and 15 ticket requests buys exactly one of them', async () => {
    const pow = await fetchSolvedPow(t.app);
    const drafts = await Promise.all(Array.from({ length: 15 }, () => t.draftReport({ pow })));
    const answers = await Promise.all([
      ...drafts.map((d) => post(d.body)),
      ...Array.from({ length: 15 }, () => request(t.app).post('/api/uploads/ticket').set(json).send({ pow })),
    ]);
    const ok = answers.filter((a) => a.status < 300);
    expect(ok).toHaveLength(1);
    expect(answers.filter((a) => a.status === 403).map((a) => a.body.error)).toEqual(Array(29).fill('pow_reused'));
    // Whichever was bought, the refused reports recorded the challenge in used_pow: one row, once.
    expect({ cases: cases(), usedPow: t.db.prepare('SELECT COUNT(*) FROM used_pow').pluck().get() })
      .toEqual({ cases: ok[0]!.status === 201 ? 1 : 0, usedPow: 1 });
  });

  it('30 simultaneous sends of one solved challenge make exactly one case', async () => {
    const draft = await t.draftReport();
    const answers = await Promise.all(Array.from({ length: 30 }, () => post({ ...draft.body, ...freshToken() })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 403).map((a) => a.body.error)).toEqual(Array(29).fill('pow_reused'));
    expect(cases()).toBe(1);
  });

  it('answers reports sent together each for itself: a refused one shares no fate with those stored beside it', async () => {
    // Reports that arrive together share one commit (db/group-commit.ts); each is checked and rolled back alone.
    const good = await Promise.all(Array.from({ length: 8 }, () => t.draftReport()));
    const bad = await Promise.all(Array.from({ length: 3 }, () => t.draftReport()));
    const answers = await Promise.all([
      ...good.map((d) => post(d.body)),
      ...bad.map((d) => post({ ...d.body, report: Buffer.from('{"what":"plain"}').toString('base64url') })),
    ]);
    expect(answers.map((a) => a.status)).toEqual([...Array(8).fill(201), ...Array(3).fill(400)]);
    expect(cases()).toBe(8);
    expect(t.db.prepare('SELECT COUNT(*) FROM used_pow').pluck().get()).toBe(3);
    // Each stored report answers its own status look-up.
    for (const d of good) {
      await request(t.app).post('/api/status').set(json).send({ lookupId: d.body.lookupId, verifier: d.body.verifier }).expect(200);
    }
  });

  it('a refused report still uses up its challenge', async () => {
    const draft = await t.draftReport();
    const bad = await post({ ...draft.body, report: Buffer.from('{"what":"plain"}').toString('base64url') }).expect(400);
    expect(bad.body.error).toBe('not_encrypted');
    const again = await post({ ...draft.body, ...freshToken() }).expect(403);
    expect(again.body.error).toBe('pow_reused');
    expect(cases()).toBe(0);
  });

  it.each([
    ['reading the reporter key', { reporterPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n' }],
    ['looking at the channel', { channel: 'no-such-channel' }],
  ])('refuses a spent challenge before %s', async (_, broken) => {
    const draft = await t.draftReport();
    await post(draft.body).expect(201);
    const replay = await post({ ...draft.body, ...freshToken(), ...broken });
    expect(replay.status).toBe(403);
    expect(replay.body.error).toBe('pow_reused');
  });

  it('reads the channel, its teams and their keys in the transaction that stores the case, and in no other', async () => {
    const draft = await t.draftReport(); // before the watches: drafting reads the channel too
    const repos = t.app.ombud.repos;
    const reads: string[] = [];
    watch(reads, 'channel', repos.channels, 'intakeTeams');
    watch(reads, 'channel, whole', repos.channels, 'find');
    watch(reads, 'team', repos.teams, 'find');
    watch(reads, 'keys', repos.investigators, 'activeOfTeam');
    const transactions: string[] = [];
    watch(transactions, 'transaction', repos, 'transaction');
    watch(transactions, 'group', repos, 'groupTransaction');
    await post(draft.body).expect(201);
    // One query for the channel, its teams and their keys (channels.intakeTeams), none of the wider reads.
    expect(reads).toEqual(['channel:true']);
    // The report's one transaction, whose commit it shares with the reports that arrive with it (db/group-commit.ts).
    expect(transactions).toEqual(['group:false']);
  });
});
