/**
 * One commit per report: the proof of work is spent inside the case's own
 * transaction, and the checks that kept one solution to one report still
 * hold — under concurrency, for refused reports, and before any key is read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { randomBytes, toBase64Url } from '../../crypto/index.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (body: unknown) => request(t.app).post('/api/intake').set(json).send(body as object);
const cases = () => t.db.prepare('SELECT COUNT(*) FROM cases').pluck().get() as number;
const freshToken = () => ({ lookupId: toBase64Url(randomBytes(32)), verifier: toBase64Url(randomBytes(32)) });

describe('intake commits once per report', () => {
  it('spends the challenge inside the transaction that stores the case', async () => {
    const inTransaction: boolean[] = [];
    const original = t.app.ombud.repos.pow.spend;
    t.app.ombud.repos.pow.spend = (...args) => {
      inTransaction.push(t.db.inTransaction);
      return original(...args);
    };
    const draft = await t.draftReport();
    await post(draft.body).expect(201);
    expect(inTransaction).toEqual([true]);
    expect(cases()).toBe(1);
  });

  it('30 simultaneous sends of one solved challenge make exactly one case', async () => {
    const draft = await t.draftReport();
    const answers = await Promise.all(Array.from({ length: 30 }, () => post({ ...draft.body, ...freshToken() })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 403).map((a) => a.body.error)).toEqual(Array(29).fill('pow_reused'));
    expect(cases()).toBe(1);
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
    const watch = <K extends string>(name: string, target: Record<K, (...a: never[]) => unknown>, method: K) => {
      const original = target[method];
      target[method] = ((...args: never[]) => {
        reads.push(`${name}:${t.db.inTransaction}`);
        return original(...args);
      }) as (typeof target)[K];
    };
    watch('channel', repos.channels, 'intakeTeams');
    watch('channel, whole', repos.channels, 'find');
    watch('team', repos.teams, 'find');
    watch('keys', repos.investigators, 'activeOfTeam');
    let transactions = 0;
    const transaction = repos.transaction;
    repos.transaction = ((work: () => unknown) => {
      transactions++;
      return transaction(work);
    }) as typeof repos.transaction;
    await post(draft.body).expect(201);
    // One query for the channel, its teams and their keys (channels.intakeTeams), none of the wider reads.
    expect(reads).toEqual(['channel:true']);
    expect(transactions).toBe(1);
  });
});
