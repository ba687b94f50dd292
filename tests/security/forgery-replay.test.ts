/**
 * Cross-site requests on every state-changing route of the OpenAPI document
 * (another Origin, a browser saying cross-site, a form's content type, no
 * CSRF header), session fixation, and replays: a spent proof of work, a spent
 * upload ticket, a CSRF token after logout, logout without the CSRF header.
 * (A replayed setup link, invitation and TOTP code are refused in
 * server/setup/setup.test.ts "works only once", server/invites/invites.test.ts
 * "creates the investigator in the inviting team once…" and
 * server/auth/second-factor.test.ts "…signs in with it once".)
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptPayload, utf8 } from '../../crypto/index.ts';
import { createTestServer, fetchSolvedPow, json, type TestServer } from '../../server/testing.ts';
import { fill, operations, type OpenAPIV3_1Like, type Operation } from './support/openapi.ts';

let t: TestServer;
let ops: Operation[];
const ANY = 'AAAAAAAAAAAAAAAAAAAAAA';

beforeAll(async () => {
  t = await createTestServer();
  ops = operations((await request(t.app).get('/api/openapi.json').expect(200)).body as OpenAPIV3_1Like);
});
afterAll(() => t.close());

const pathOf = (op: Operation) => fill(op.path, new Proxy({ slug: t.team.channelSlug } as Record<string, string>, { get: (o, k: string) => o[k] ?? ANY }));

describe('cross-site requests', () => {
  it('are refused on every state-changing route before anything happens', async () => {
    const client = await t.login(t.team.admin);
    const writes = ops.filter((op) => op.method !== 'GET');
    expect(writes.length).toBeGreaterThan(25);
    for (const op of writes) {
      const path = pathOf(op);
      const what = `${op.method} ${op.path}`;
      const base = () => client.agent[op.method === 'PUT' ? 'put' : 'post'](path).set('X-Ombud-CSRF', client.session.csrfToken);
      const before = t.repos.audit.list().length;
      for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:8080.evil.example', 'http://127.0.0.1:8081', 'https://127.0.0.1:8080']) {
        const evil = await base().set(json).set('Origin', origin).send({});
        expect([evil.status, evil.body.error], `${what} from ${origin}`).toEqual([403, 'cross_origin']);
      }
      const crossSite = await base().set(json).set('Sec-Fetch-Site', 'cross-site').send({});
      expect([crossSite.status, crossSite.body.error], what).toEqual([403, 'cross_origin']);
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const form = await base().set('Content-Type', type).send('a=b');
        expect([form.status, form.body.error], `${what} as ${type}`).toEqual([415, 'unsupported_media_type']);
      }
      if (op.investigator) {
        // The type the operation takes (a voice reply is raw OpenPGP), so that the CSRF check is what answers.
        const type = op.body === 'octet-stream' ? { 'Content-Type': 'application/octet-stream' } : json;
        const noCsrf = await client.agent[op.method === 'PUT' ? 'put' : 'post'](path).set(type).send(op.body === 'octet-stream' ? Buffer.from('x') : {});
        expect([noCsrf.status, noCsrf.body.error], what).toEqual([403, 'csrf_invalid']);
      }
      expect(t.repos.audit.list().length, `${what} wrote to the audit trail`).toBe(before);
    }
    expect((await client.get('/api/auth/session')).status).toBe(200); // logout was refused every time
  });

  it('refuses a logout without the CSRF header, and the session lives on', async () => {
    const client = await t.login(t.team.admin);
    await client.agent.post('/api/auth/logout').set(json).send({}).expect(403);
    await client.agent.post('/api/auth/logout').set(json).set('X-Ombud-CSRF', 'x'.repeat(43)).send({}).expect(403);
    await client.get('/api/auth/session').expect(200);
  });
});

describe('login brute force', () => {
  it('is slowed per user name even when every guess claims another address (OMBUD_TRUST_PROXY=1, one entry each), and audited', async () => {
    const proxied = await createTestServer({ config: { trustProxy: 1 } });
    try {
      const { username, verifier } = proxied.team.admin;
      const attempt = (n: number, v: string) => request(proxied.app).post('/api/auth/login').set(json)
        .set('X-Forwarded-For', `198.51.100.${n}`).send({ username, verifier: v });
      const statuses: number[] = [];
      for (let n = 1; n <= 8; n += 1) statuses.push((await attempt(n, 'A'.repeat(43))).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(6)).toEqual([429, 429]);
      expect((await attempt(99, verifier)).status).toBe(429); // the right password waits too, from a fresh address
      const failed = proxied.repos.audit.list().filter((e) => e.action === 'auth.login_failed');
      expect(failed.length).toBeGreaterThanOrEqual(6);
      expect(JSON.stringify(failed)).not.toContain('198.51.100.');
      proxied.clock.advance({ minutes: 16 });
      expect((await attempt(100, verifier)).status).toBe(200);
    } finally {
      proxied.close();
    }
  });
});

describe('token guessing', () => {
  it('cannot shed its throttle by claiming new addresses when no proxy is trusted (the default)', async () => {
    const guess = (n: number) => request(t.app).post('/api/status').set(json).set('X-Forwarded-For', `203.0.113.${n}`)
      .set('X-Real-IP', `198.51.100.${n}`).send({ lookupId: 'G'.repeat(43), verifier: 'H'.repeat(43) });
    const statuses: number[] = [];
    for (let n = 1; n <= 13; n += 1) statuses.push((await guess(n)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 404 || s === 429)).toBe(true);
    t.clock.advance({ minutes: 30 }); // let other tests here start clean
  });
});

describe('session fixation', () => {
  it('never adopts a session cookie set before login', async () => {
    const planted = 'F'.repeat(43);
    const res = await request(t.app).post('/api/auth/login').set(json).set('Cookie', `ombud_session=${planted}`)
      .send({ username: t.team.admin.username, verifier: t.team.admin.verifier }).expect(200);
    const issued = /^ombud_session=([^;]+)/.exec(String(res.headers['set-cookie']?.[0]))?.[1];
    expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued).not.toBe(planted);
    await request(t.app).get('/api/auth/session').set('Cookie', `ombud_session=${planted}`).expect(401);
    await request(t.app).get('/api/auth/session').set('Cookie', `ombud_session=${issued}`).expect(200);
  });
});

describe('replays', () => {
  it('refuse a CSRF token and a cookie after logout, and an old CSRF token with a new session', async () => {
    const first = await t.login(t.team.admin);
    await first.post('/api/auth/logout').expect(204);
    const replay = await request(t.app).post('/api/cases/' + ANY + '/stage').set(json)
      .set('Cookie', `ombud_session=${first.cookie}`).set('X-Ombud-CSRF', first.session.csrfToken).send({ stage: 'acknowledged' });
    expect([replay.status, replay.body.error]).toEqual([401, 'not_authenticated']);
    const second = await t.login(t.team.admin);
    expect(second.session.csrfToken).not.toBe(first.session.csrfToken);
    const stale = await second.agent.post('/api/team/invites').set(json).set('X-Ombud-CSRF', first.session.csrfToken)
      .send({ displayName: 'Someone', role: 'investigator' });
    expect([stale.status, stale.body.error]).toEqual([403, 'csrf_invalid']);
  });

  it('refuse a proof of work spent once, on every route that takes one', async () => {
    const draft = await t.draftReport();
    await request(t.app).post('/api/intake').set(json).send(draft.body).expect(201);
    const again = await t.draftReport({ pow: draft.body.pow });
    expect((await request(t.app).post('/api/intake').set(json).send(again.body).expect(403)).body.error).toBe('pow_reused');
    expect((await request(t.app).post('/api/uploads/ticket').set(json).send({ pow: draft.body.pow }).expect(403)).body.error).toBe('pow_reused');
  });

  it('let only one of five simultaneous reports spend the same proof of work or the same upload ticket', async () => {
    const pow = await fetchSolvedPow(t.app);
    const drafts = await Promise.all(Array.from({ length: 5 }, () => t.draftReport({ pow })));
    const powAnswers = await Promise.all(drafts.map((d) => request(t.app).post('/api/intake').set(json).send(d.body)));
    expect(powAnswers.map((a) => a.status).filter((s) => s === 201)).toHaveLength(1);
    expect(powAnswers.every((a) => a.status === 201 || (a.status >= 400 && a.status < 500))).toBe(true);

    const first = await t.draftReport();
    const { ticket } = (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow: await fetchSolvedPow(t.app) }).expect(200)).body;
    const recipients = [...first.channel.teams[0]!.recipientKeys, first.reporterKey.publicKey];
    const id = (await request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream').set('X-Ombud-Upload-Ticket', ticket)
      .send(Buffer.from(await encryptPayload({ data: utf8('photo'), recipients }))).expect(201)).body.uploadId as string;
    const rivals = [first, ...(await Promise.all(Array.from({ length: 4 }, () => t.draftReport())))];
    const ticketAnswers = await Promise.all(rivals.map((d) => request(t.app).post('/api/intake').set(json).send({ ...d.body, attachments: [id], uploadTicket: ticket })));
    expect(ticketAnswers.map((a) => a.status).filter((s) => s === 201)).toHaveLength(1);
    expect(ticketAnswers.every((a) => a.status === 201 || (a.status >= 400 && a.status < 500))).toBe(true);
  });

  it('refuse an upload ticket once a report has spent it', async () => {
    const draft = await t.draftReport();
    const { ticket } = (await request(t.app).post('/api/uploads/ticket').set(json).send({ pow: await fetchSolvedPow(t.app) }).expect(200)).body;
    const recipients = [...draft.channel.teams[0]!.recipientKeys, draft.reporterKey.publicKey];
    const upload = async () => request(t.app).post('/api/uploads').set('Content-Type', 'application/octet-stream')
      .set('X-Ombud-Upload-Ticket', ticket).send(Buffer.from(await encryptPayload({ data: utf8('photo'), recipients })));
    const id = (await upload()).body.uploadId as string;
    await request(t.app).post('/api/intake').set(json).send({ ...draft.body, attachments: [id], uploadTicket: ticket }).expect(201);
    expect((await upload()).body.error).toBe('upload_ticket_invalid');
    const second = await t.draftReport();
    const reuse = await request(t.app).post('/api/intake').set(json).send({ ...second.body, attachments: [id], uploadTicket: ticket });
    expect(reuse.status).toBeGreaterThanOrEqual(400);
    expect(reuse.status).toBeLessThan(500);
  });
});
