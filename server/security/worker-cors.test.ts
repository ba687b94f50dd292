/**
 * The worker pages on a second origin (OMBUD_WORKER_ORIGIN): the reporter
 * endpoints answer that one origin across sites, with a preflight and
 * without credentials; every other origin, and every other route, is
 * refused as before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ConfigError, parseConfig } from '../config.ts';
import { createTestServer, json, type TestServer } from '../testing.ts';
import { WORKER_ENDPOINTS } from './worker-cors.ts';
import { workerHostHeaders, workerPageCsp } from './worker-page-headers.ts';

const WORKER = 'https://report.ngo.example';
const PUBLIC = 'https://speakup.example.org';

describe('OMBUD_WORKER_ORIGIN', () => {
  it('is one origin, normalised, and absent by default', () => {
    expect(parseConfig({}).workerOrigin).toBeUndefined();
    expect(parseConfig({ OMBUD_PUBLIC_URL: PUBLIC, OMBUD_WORKER_ORIGIN: ' https://Report.NGO.example/ ' }).workerOrigin).toBe(WORKER);
  });

  it.each([
    ['a path', 'https://report.ngo.example/r'],
    ['two origins', 'https://a.example,https://b.example'],
    ['no scheme', 'report.ngo.example'],
    ['another scheme', 'ftp://report.ngo.example'],
    ['the public URL itself', PUBLIC],
    ['plain http beside an https public URL', 'http://report.ngo.example'],
  ])('refuses %s, naming the variable', (_what, value) => {
    expect(() => parseConfig({ OMBUD_PUBLIC_URL: PUBLIC, OMBUD_WORKER_ORIGIN: value })).toThrow(ConfigError);
    expect(() => parseConfig({ OMBUD_PUBLIC_URL: PUBLIC, OMBUD_WORKER_ORIGIN: value })).toThrow(/OMBUD_WORKER_ORIGIN/);
  });
});

describe('a deployment whose worker pages are on another origin', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer({ config: { publicUrl: PUBLIC, workerOrigin: WORKER } });
  });
  afterEach(() => t.close());

  it('answers the preflight of every reporter endpoint for the worker origin, without credentials', async () => {
    for (const { method, path } of WORKER_ENDPOINTS) {
      const url = path.source.replace(/^\^\\?/, '').replace(/\$$/, '').replace(/\\\//g, '/').replace('[^/]+', 'x1');
      const res = await request(t.app).options(url).set('Origin', WORKER)
        .set('Access-Control-Request-Method', method).set('Access-Control-Request-Headers', 'content-type, accept')
        .expect(204);
      expect(res.headers['access-control-allow-origin']).toBe(WORKER);
      expect(res.headers['access-control-allow-methods']).toBe(method);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers.vary).toMatch(/Origin/);
    }
  });

  it('lets the worker origin ask for proof of work and read a channel, with CORS headers on the answer', async () => {
    const pow = await request(t.app).post('/api/pow').set(json).set('Origin', WORKER).set('Sec-Fetch-Site', 'cross-site').send({}).expect(200);
    expect(pow.headers['access-control-allow-origin']).toBe(WORKER);
    expect(pow.headers['access-control-allow-credentials']).toBeUndefined();
    const channel = await request(t.app).get(`/api/channels/${t.team.channelSlug}`).set('Origin', WORKER).expect(200);
    expect(channel.headers['access-control-allow-origin']).toBe(WORKER);
  });

  it('sends the CORS header on an error answer too, so the page can read its code', async () => {
    const res = await request(t.app).post('/api/status').set(json).set('Origin', WORKER).set('Sec-Fetch-Site', 'cross-site')
      .send({ lookupId: 'x', verifier: 'y' }).expect(400);
    expect(res.headers['access-control-allow-origin']).toBe(WORKER);
    expect(typeof res.body.error).toBe('string');
  });

  it('refuses an origin not allow-listed, on the preflight and on the request', async () => {
    for (const origin of ['https://evil.example', 'https://report.ngo.example:444', 'http://report.ngo.example', 'null']) {
      const pre = await request(t.app).options('/api/intake').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const res = await request(t.app).post('/api/pow').set(json).set('Origin', origin).send({}).expect(403);
      expect(res.body.error).toBe('cross_origin');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuses a preflight for another method or a header the pages never send', async () => {
    await request(t.app).options('/api/intake').set('Origin', WORKER).set('Access-Control-Request-Method', 'PUT').expect(403);
    const res = await request(t.app).options('/api/intake').set('Origin', WORKER)
      .set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type, x-ombud-csrf').expect(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps every workspace, setup and poster route same-origin: refused from the worker origin too', async () => {
    const admin = await t.login(t.team.admin);
    for (const path of ['/api/auth/login', '/api/auth/params', '/api/cases', '/api/admin/channels', '/api/setup']) {
      const pre = await request(t.app).options(path).set('Origin', WORKER).set('Access-Control-Request-Method', 'POST');
      expect(pre.headers['access-control-allow-origin'], path).toBeUndefined();
      const res = await request(t.app).post(path).set(json).set('Origin', WORKER).send({}).expect(403);
      expect(res.body.error).toBe('cross_origin');
    }
    // A read of the workspace from the worker origin gets no CORS header: the browser hides it from that page.
    const cases = await admin.get('/api/cases').set('Origin', WORKER).expect(200);
    expect(cases.headers['access-control-allow-origin']).toBeUndefined();
    const poster = await admin.get(`/api/posters/${t.team.channelSlug}`).set('Origin', WORKER).expect(200);
    expect(poster.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('still accepts its own public origin and still refuses a form post of another type', async () => {
    await request(t.app).post('/api/pow').set(json).set('Origin', PUBLIC).send({}).expect(200);
    const res = await request(t.app).post('/api/pow').set('Content-Type', 'text/plain').set('Origin', WORKER).send('{}').expect(415);
    expect(res.body.error).toBe('unsupported_media_type');
  });

  it('answers 30 preflights and proof-of-work requests at once from the worker origin', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0
      ? request(t.app).options('/api/pow').set('Origin', WORKER).set('Access-Control-Request-Method', 'POST')
      : request(t.app).post('/api/pow').set(json).set('Origin', WORKER).send({}))));
    expect(results.map((r) => r.status).sort()).toEqual([...Array(15).fill(200), ...Array(15).fill(204)]);
    expect(results.every((r) => r.headers['access-control-allow-origin'] === WORKER)).toBe(true);
  });
});

describe('a deployment without a worker origin', () => {
  it('answers no preflight and sends no CORS header to anyone', async () => {
    const t = await createTestServer({ config: { publicUrl: PUBLIC } });
    try {
      const pre = await request(t.app).options('/api/intake').set('Origin', WORKER).set('Access-Control-Request-Method', 'POST');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const res = await request(t.app).post('/api/pow').set(json).set('Origin', WORKER).send({}).expect(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      t.close();
    }
  });
});

describe('what the workspace and the posters are told', () => {
  it('the poster and the channel list point the pinned link to the worker origin', async () => {
    const t = await createTestServer({ config: { publicUrl: PUBLIC, workerOrigin: WORKER } });
    try {
      const admin = await t.login(t.team.admin);
      const poster = await admin.get(`/api/posters/${t.team.channelSlug}`).expect(200);
      expect(poster.body.link).toMatch(new RegExp(`^${WORKER}/r/${t.team.channelSlug}#pins=[0-9a-f]{40}$`));
      expect(poster.body.statusUrl).toBe(`${WORKER}/status`);
      const list = await admin.get('/api/admin/channels').expect(200);
      expect(list.body.workerOrigin).toBe(WORKER);
    } finally {
      t.close();
    }
  });

  it('without a worker origin, the poster keeps the public URL and the list says nothing', async () => {
    const t = await createTestServer({ config: { publicUrl: PUBLIC } });
    try {
      const admin = await t.login(t.team.admin);
      expect((await admin.get(`/api/posters/${t.team.channelSlug}`).expect(200)).body.link.startsWith(`${PUBLIC}/r/`)).toBe(true);
      expect((await admin.get('/api/admin/channels').expect(200)).body).not.toHaveProperty('workerOrigin');
    } finally {
      t.close();
    }
  });
});

describe('the static host’s CSP', () => {
  it('is the API server’s own CSP with the API origin added to connect-src, and nothing else', async () => {
    const t = await createTestServer({ config: { publicUrl: PUBLIC } });
    try {
      const served = (await request(t.app).get('/api/health').expect(200)).headers['content-security-policy'] as string;
      const ours = served.split(';').map((d) => d.trim()).filter(Boolean).sort();
      const worker = workerPageCsp(PUBLIC).split(';').map((d) => d.trim()).sort();
      expect(worker).toEqual(ours.map((d) => (d.startsWith('connect-src ') ? `${d} ${PUBLIC}` : d)));
    } finally {
      t.close();
    }
  });

  it('keeps the worker pages and the API headers in one list a static host can read', () => {
    const listed = workerHostHeaders(PUBLIC);
    expect(listed.headers['content-security-policy']).toBe(workerPageCsp(PUBLIC));
    expect(Object.values(listed.entry_points).flat().sort()).toEqual(['/info.html', '/info.html', '/info.html', '/report.html', '/status.html']);
  });
});
