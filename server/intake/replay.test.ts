/**
 * Sending the same report again (the answer to the first was lost on the way
 * back): the original receipt, one case; different content under the same
 * lookup id: 409 intake_conflict and nothing changed (./replay.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestServer, fetchSolvedPow, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (body: unknown) => request(t.app).post('/api/intake').set(json).send(body as object);
const caseCount = () => (t.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;

describe('POST /api/intake sent again', () => {
  it('answers the same request with the original receipt and keeps one case', async () => {
    const draft = await t.draftReport();
    const first = await post(draft.body).expect(201);
    t.clock.advance({ days: 2 }); // the retry comes later: the receipt is still the first day's
    const again = await post(draft.body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(caseCount()).toBe(1);
  });

  it('accepts a fresh proof of work on the retry (the content is what counts)', async () => {
    const draft = await t.draftReport();
    const first = await post(draft.body).expect(201);
    const again = await post({ ...draft.body, pow: await fetchSolvedPow(t.app) }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(caseCount()).toBe(1);
  });

  it('refuses different content under the same lookup id and verifier with intake_conflict, changing nothing', async () => {
    const draft = await t.draftReport();
    await post(draft.body).expect(201);
    const other = await t.draftReport();
    const before = t.repos.cases.findByLookupHash(t.app.ombud.keys.hmacHex('lookup', draft.credentials.lookupId));
    const res = await post({ ...other.body, lookupId: draft.credentials.lookupId, verifier: draft.credentials.verifier }).expect(409);
    expect(res.body.error).toBe('intake_conflict');
    expect(caseCount()).toBe(1);
    expect(t.repos.cases.findByLookupHash(t.app.ombud.keys.hmacHex('lookup', draft.credentials.lookupId))).toEqual(before);
    // One changed byte of the ciphertext is other content too.
    const report = Buffer.from(draft.body.report, 'base64url');
    report[report.length - 1]! ^= 1;
    const flipped = await post({ ...draft.body, report: report.toString('base64url') }).expect(409);
    expect(flipped.body.error).toBe('intake_conflict');
  });

  it('does not answer a wrong verifier with the receipt: the proof of work is checked, then token_collision', async () => {
    const draft = await t.draftReport();
    await post(draft.body).expect(201);
    const wrong = { ...draft.body, verifier: Buffer.alloc(32, 7).toString('base64url') };
    expect((await post(wrong).expect(403)).body.error).toBe('pow_reused');
    expect((await post({ ...wrong, pow: await fetchSolvedPow(t.app) }).expect(409)).body.error).toBe('token_collision');
    expect(caseCount()).toBe(1);
  });

  it('files one case for 30 identical requests at once, each answered with the same receipt', async () => {
    const draft = await t.draftReport();
    const answers = await Promise.all(Array.from({ length: 30 }, () => post(draft.body)));
    expect(answers.map((res) => res.status)).toEqual(Array(30).fill(201));
    expect(new Set(answers.map((res) => JSON.stringify(res.body))).size).toBe(1);
    expect(caseCount()).toBe(1);
  });

  it('needs no valid proof of work: a broken one on the same report still gets the receipt', async () => {
    const draft = await t.draftReport();
    const first = await post(draft.body).expect(201);
    const again = await post({ ...draft.body, pow: { ...draft.body.pow, nonce: '0' } }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(caseCount()).toBe(1);
  });

  it('looks for a stored case only when the intake refuses: a new report reads none', async () => {
    const cases = t.app.ombud.repos.cases;
    const original = cases.findByLookupHash;
    let lookups = 0;
    cases.findByLookupHash = (hash) => {
      lookups++;
      return original(hash);
    };
    const draft = await t.draftReport();
    await post(draft.body).expect(201);
    expect(lookups).toBe(0);
    await post(draft.body).expect(201); // sent again: its proof of work is spent, then its case is found
    expect(lookups).toBe(1);
    expect(caseCount()).toBe(1);
  });
});
