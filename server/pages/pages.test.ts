import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTestServer, type TestServer } from '../testing.ts';
import { PAGES } from './routes.ts';

let t: TestServer;
let clientDir: string;
beforeEach(async () => {
  clientDir = mkdtempSync(join(tmpdir(), 'ombud-client-'));
  mkdirSync(join(clientDir, 'assets'));
  for (const file of Object.values(PAGES)) writeFileSync(join(clientDir, file), `<!doctype html><title>${file}</title>`);
  writeFileSync(join(clientDir, 'assets', 'report-9f8e7d.js'), 'export {}');
  writeFileSync(join(clientDir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(clientDir, 'pending.html'), '<!doctype html><title>pending.html</title>');
  t = await createTestServer({ config: { clientDir }, team: false });
  // Setup is done (an administrator exists) unless a test says otherwise.
  await t.addTeam(); // with its administrator
});
afterEach(() => {
  t.close();
  rmSync(clientDir, { recursive: true, force: true });
});

describe('pages', () => {
  it.each([
    ['/', 'index.html'],
    ['/r/shenzhen-plant-3', 'report.html'],
    ['/status', 'status.html'],
    ['/team', 'team.html'],
    ['/setup', 'setup.html'],
    ['/info', 'info.html'],
    ['/r/shenzhen-plant-3/info', 'info.html'],
  ])('serves %s from %s', async (path, file) => {
    const res = await request(t.app).get(path).expect(200);
    expect(res.text).toContain(`<title>${file}</title>`);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves the static "setup pending" page at / and /team before setup, and the other pages as usual', async () => {
    const fresh = await createTestServer({ config: { clientDir }, team: false });
    try {
      for (const path of ['/', '/team']) {
        const res = await request(fresh.app).get(path).expect(200);
        expect(res.text).toContain('<title>pending.html</title>');
        expect(res.headers['cache-control']).toBe('no-cache');
      }
      expect((await request(fresh.app).get('/setup').expect(200)).text).toContain('<title>setup.html</title>');
      expect((await request(fresh.app).get('/api/setup').expect(200)).body.needed).toBe(true);
      await request(fresh.app).get('/pending.html').expect(404);
    } finally {
      fresh.close();
    }
    expect((await request(t.app).get('/').expect(200)).text).toContain('<title>index.html</title>');
  });

  it('serves hashed assets for a year and other files briefly', async () => {
    const asset = await request(t.app).get('/assets/report-9f8e7d.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(t.app).get('/icon.svg').expect(200);
  });

  it('answers unknown paths with a plain 404', async () => {
    const res = await request(t.app).get('/wp-admin').expect(404);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    await request(t.app).get('/assets/missing.js').expect(404);
    await request(t.app).get('/report.html').expect(404);
    // Nor by an encoded file name: the pages exist only under their routes.
    for (const path of ['/index%2ehtml', '/report%2Ehtml', '/%69ndex.html', '/team.htm%6c', '/status%2ehtml?x=1', '/assets/..%2findex.html', '/assets/%2e%2e/team.html']) {
      const encoded = await request(t.app).get(path);
      expect([path, encoded.status]).toEqual([path, 404]);
    }
    await request(t.app).get('/../package.json').expect(404);
    await request(t.app).post('/status').expect(404);
  });

  it('says the client is not built when its directory is missing', async () => {
    const bare = await createTestServer({ config: { clientDir: join(clientDir, 'nope') }, team: false });
    const res = await request(bare.app).get('/r/x').expect(503);
    expect(res.text).toBe('client not built: run npm run build');
    await request(bare.app).get('/api/health').expect(200);
    bare.close();
  });
});

describe('precompressed files (./precompressed.ts)', () => {
  const script = `export const words = ${JSON.stringify('the doors are locked at night '.repeat(100))};\n`;
  const page = `<!doctype html><title>report.html</title><p>${'a page that compresses well '.repeat(80)}</p>`;
  beforeEach(() => {
    writeFileSync(join(clientDir, 'assets', 'big-1a2b3c.js'), script);
    writeFileSync(join(clientDir, 'assets', 'big-1a2b3c.js.gz'), gzipSync(script, { level: 9 }));
    writeFileSync(join(clientDir, 'report.html'), page);
    writeFileSync(join(clientDir, 'report.html.gz'), gzipSync(page, { level: 9 }));
  });

  it('sends the gzip sibling to a browser that takes gzip: the same decoded bytes, the original type', async () => {
    const res = await request(t.app).get('/assets/big-1a2b3c.js').set('Accept-Encoding', 'gzip, deflate, br').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    expect(Number(res.headers['content-length'])).toBe(gzipSync(script, { level: 9 }).length);
    expect(res.text).toBe(script);
  });

  it('sends the file itself, still saying that the answer varies, to a client that does not take gzip', async () => {
    for (const encoding of ['identity', 'gzip;q=0', 'br']) {
      const res = await request(t.app).get('/assets/big-1a2b3c.js').set('Accept-Encoding', encoding).expect(200);
      expect(res.headers['content-encoding'], encoding).toBeUndefined();
      expect(res.headers.vary).toMatch(/Accept-Encoding/);
      expect(res.text).toBe(script);
    }
  });

  it('sends the report page gzipped at its address, with the page\'s headers', async () => {
    const res = await request(t.app).get('/r/shenzhen-plant-3').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toMatch(/script-src/);
    expect(res.text).toBe(page);
    const plain = await request(t.app).get('/r/shenzhen-plant-3').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(page);
  });

  it('leaves a file without a sibling as it was', async () => {
    const res = await request(t.app).get('/assets/report-9f8e7d.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary ?? '').not.toMatch(/Accept-Encoding/);
  });
});
