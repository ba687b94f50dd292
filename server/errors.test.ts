import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { LIMITS } from '../common/limits.ts';
import { createTestServer, json, type TestServer } from './testing.ts';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(() => t.close());

const post = (path: string) => request(t.app).post(path).set(json);

describe('bad requests get stable 4xx codes, never a 500', () => {
  it('malformed JSON → 400 malformed_json', async () => {
    const res = await post('/api/status').send('{"lookupId": ').expect(400);
    expect(res.body).toEqual({ error: 'malformed_json', message: 'the request body is not valid JSON' });
  });

  it('a JSON string instead of an object → 400', async () => {
    const res = await post('/api/status').send('"hello"').expect(400);
    expect(res.body.error).toBe('malformed_json');
  });

  it('a body over the limit → 413 body_too_large', async () => {
    const big = JSON.stringify({ lookupId: 'x'.repeat(LIMITS.jsonBodyBytes) });
    expect((await post('/api/status').send(big).expect(413)).body.error).toBe('body_too_large');
  });

  it('unknown fields → 400 invalid_request saying so, without echoing the attacker\'s keys', async () => {
    const res = await post('/api/auth/params').send({ username: 'mei', admin: true, '<img src=x onerror=alert(1)>CANARY-key': 1 }).expect(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toBe('body: 2 unknown fields (this request takes only the documented ones)');
    expect(res.body.message).not.toMatch(/admin|CANARY|<img/);
    // Nested too: the path names only the schema's own fields.
    const nested = await post('/api/intake').send({ pow: { challenge: 'c', nonce: 'n', 'CANARY-nested\u001b[2J': 1 } }).expect(400);
    expect(nested.body.message).toMatch(/pow: 1 unknown field/);
    expect(nested.body.message).not.toMatch(/CANARY|\u001b/);
  });

  it('wrong types → 400 invalid_request listing the fields, without echoing input', async () => {
    const res = await post('/api/intake').send({ channel: 5, teamIds: 'CANARY-teams', lookupId: null }).expect(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toMatch(/channel: /);
    expect(res.body.message).toMatch(/teamIds: /);
    expect(res.body.message).not.toMatch(/CANARY/);
  });

  it('an empty body where one is required → 400', async () => {
    expect((await post('/api/status').expect(400)).body.error).toBe('invalid_request');
  });

  it('a compressed body → 415', async () => {
    const res = await post('/api/status').set('Content-Encoding', 'gzip').send('{}').expect(415);
    expect(res.body.error).toBe('unsupported_media_type');
  });

  it('a non-UTF-8 charset → 415', async () => {
    const res = await request(t.app).post('/api/status').set('Content-Type', 'application/json; charset=latin1').send('{}');
    expect(res.status).toBe(415);
  });

  it('bad path parameters → 400, unknown API paths → 404 JSON', async () => {
    const admin = await t.login(t.team.admin);
    expect((await admin.get('/api/cases/not*an*id').expect(400)).body.error).toBe('invalid_request');
    expect((await request(t.app).get('/api/nothing').expect(404)).body.error).toBe('not_found');
    expect((await post('/api/health').send({}).expect(404)).body.error).toBe('not_found');
  });

  it('an internal error → plain 500 with no details', async () => {
    t.db.close(); // every query now throws
    const res = await request(t.app).get('/api/channels/anything').expect(500);
    expect(res.body).toEqual({ error: 'internal_error', message: 'something went wrong on the server' });
    expect(JSON.stringify(res.body)).not.toMatch(/sqlite|database|stack|at /i);
  });
});
