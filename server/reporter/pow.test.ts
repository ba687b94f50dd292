import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestServer, fetchSolvedPow, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (body: unknown) => request(t.app).post('/api/intake').set(json).send(body as object);

describe('proof of work on intake', () => {
  it('issues signed challenges at the configured difficulty', async () => {
    const res = await request(t.app).post('/api/pow').set(json).send({}).expect(200);
    expect(res.body.difficulty).toBe(4);
    expect(res.body.challenge).toMatch(/^v1\.\d{13}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a forged challenge', async () => {
    const draft = await t.draftReport();
    const forged = draft.body.pow.challenge.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    const res = await post({ ...draft.body, pow: { ...draft.body.pow, challenge: forged } }).expect(403);
    expect(res.body.error).toBe('pow_invalid');
  });

  it('refuses a wrong nonce', async () => {
    const t2 = await createTestServer({ config: { powDifficulty: 20 } });
    try {
      const draft = await t2.draftReport({ pow: { challenge: 'v1.0.x.y', nonce: '0' } });
      const challenge = (await request(t2.app).post('/api/pow').set(json).send({})).body.challenge as string;
      const res = await request(t2.app).post('/api/intake').set(json)
        .send({ ...draft.body, pow: { challenge, nonce: '1' } }).expect(403);
      expect(res.body.error).toBe('pow_invalid');
    } finally {
      t2.close();
    }
  });

  it('refuses an expired challenge', async () => {
    const pow = await fetchSolvedPow(t.app);
    const draft = await t.draftReport({ pow });
    t.clock.advance({ minutes: 11 });
    expect((await post(draft.body).expect(403)).body.error).toBe('pow_expired');
  });

  it('refuses a challenge used twice', async () => {
    const pow = await fetchSolvedPow(t.app);
    await post((await t.draftReport({ pow })).body).expect(201);
    expect((await post((await t.draftReport({ pow })).body).expect(403)).body.error).toBe('pow_reused');
  });

  it('spends a challenge even when the report is then refused', async () => {
    const pow = await fetchSolvedPow(t.app);
    const bad = await t.draftReport({ pow });
    await post({ ...bad.body, channel: 'nowhere' }).expect(404);
    expect((await post((await t.draftReport({ pow })).body).expect(403)).body.error).toBe('pow_reused');
  });

  it('checks the proof of work before anything else', async () => {
    const draft = await t.draftReport({ pow: { challenge: 'nonsense', nonce: '1' } });
    const res = await post({ ...draft.body, channel: 'nowhere', report: 'AAAA' }).expect(403);
    expect(res.body.error).toBe('pow_invalid');
  });
});
