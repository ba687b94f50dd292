/**
 * A follow-up sent again (the answer to the first was lost on the way back):
 * the status page keeps the sealed message across retries, and the server
 * answers the same ciphertext on the same case with the message it stored,
 * not a second copy. A retaliation report sent again marks the case once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { StatusView } from '../../common/api.ts';
import { createTestServer, encryptMessage, json, type TestServer } from '../testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const status = (body: unknown) => request(t.app).post('/api/status').set(json).send(body as object);

describe('a follow-up sent again', () => {
  for (const endpoint of ['/api/status/messages', '/api/status/retaliation']) {
    it(`${endpoint}: the same ciphertext is stored once and answered with the same message`, async () => {
      const report = await t.submitReport();
      const view = (await status(report.credentials)).body as StatusView;
      const body = await encryptMessage('they threatened me', [...view.teamKeys, view.reporterPublicKey]);
      const first = await request(t.app).post(endpoint).set(json).send({ ...report.credentials, body }).expect(201);
      t.clock.advance({ days: 1 });
      const again = await request(t.app).post(endpoint).set(json).send({ ...report.credentials, body }).expect(201);
      expect(again.body).toEqual(first.body);
      const after = (await status(report.credentials)).body as StatusView;
      expect(after.messages.map((m) => m.id)).toEqual([first.body.id]);
      // Another message with the same words is another ciphertext: stored.
      const other = await encryptMessage('they threatened me', [...view.teamKeys, view.reporterPublicKey]);
      await request(t.app).post(endpoint).set(json).send({ ...report.credentials, body: other }).expect(201);
      expect(((await status(report.credentials)).body as StatusView).messages).toHaveLength(2);
    });
  }

  it('stores one message for 30 identical requests at once', async () => {
    const report = await t.submitReport();
    const view = (await status(report.credentials)).body as StatusView;
    const body = await encryptMessage('hello', [...view.teamKeys, view.reporterPublicKey]);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => request(t.app).post('/api/status/messages').set(json).send({ ...report.credentials, body })),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(30).fill(201));
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(((await status(report.credentials)).body as StatusView).messages).toHaveLength(1);
  });
});
